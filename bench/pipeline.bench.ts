/**
 * The live pipeline at the limit (issue 18): Scoredesk against the guide-design reference
 * (server/reference/guide-server.ts) side by side in one run, on one PostgreSQL with fsync on:
 * - throughput: 100 consoles, 1,000 viewers, climbing rates (doubling, then bisection): the
 *   highest rate with viewer p99 <= 150 ms and nothing lost, ours / reference >= 4x;
 * - court wall (ours): one socket following the 100 courts at 5 ev/s each with
 *   SUBSCRIBE_COURTS frames: true, frames/s <= 10 (and a v1 follower for information);
 * - CPU profile: the server under the throughput load at a fixed high rate with --cpu-prof,
 *   this checkout and (SCOREDESK_BENCH_BEFORE_DIR) the original commit's, top 10 self time;
 * - realistic: 40 consoles at 1 ev/s, 2,000 viewers: our viewer p99 <= 2x the reference's ack
 *   p99, our ack p99 <= the reference's; then (ours) a burst of 200 logins of real users:
 *   the courts' viewer p99 during it <= 150 ms;
 * - fan-out: 20 consoles at 2 ev/s, 5,000 viewers: viewer p99 <= 150 ms and <= 3x the
 *   reference's, server RSS <= 1.3x; then viewers added (5k, 10k, 20k) at 1 ev/s per court
 *   until p99 misses 150 ms: the most one process holds (aim 20,000);
 * - two processes (ours, postgres adapter): console-to-viewer latency across processes;
 * - re-sync (ours): bench/console's resync of 10,000 queued events, <= 1 s.
 * Viewers run in several child processes (bench/pipeline/viewer-fleet.ts). Bounded under 15
 * minutes (SCOREDESK_PIPELINE_BUDGET_S); every size, rate and duration is an environment
 * variable (bench/pipeline/config.ts). Writes docs/benchmarks-pipeline.svg.
 *
 * Full run: SCOREDESK_BENCH_BEFORE_DIR=/tmp/scoredesk-before npm run bench pipeline
 */
import path from 'node:path';
import { startControlledPostgres } from '../test/faults/harness/postgres-control.js';
import { config, ROOT } from './pipeline/config.js';
import { buildReport } from './pipeline/report.js';
import {
  emptyResults,
  fanout,
  profile,
  realistic,
  resyncScenario,
  say,
  SERVER_KEYS,
  throughput,
  twoProcesses,
  type Context,
} from './pipeline/scenarios.js';
import { ViewerFleet } from './pipeline/viewer-fleet.js';
import type { BenchResult } from './types.js';

export default async function run(): Promise<BenchResult> {
  const started = Date.now();
  const results = emptyResults();
  say(
    `scenarios ${[...config.scenarios].join(',')}; servers ${[...config.servers].join(',')}; server checkout ${config.serverDir}` +
      `; before checkout ${config.beforeDir ?? 'none'}; budget ${config.budgetMs / 1000} s`,
  );
  const pg = await startControlledPostgres({ fsync: true });
  let ctx: Context | null = null;
  const fleetStart = ViewerFleet.start(config.viewerProcesses);
  // Interrupted (Ctrl+C): stop every server child, generator and PostgreSQL before leaving.
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping everything`);
    void (async () => {
      await Promise.allSettled([...(ctx?.running ?? [])].map((c) => c.close()));
      await fleetStart.then((f) => f.shutdown()).catch(() => {});
      await pg.destroy().catch(() => {});
      process.exit(130);
    })();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const fleet = await fleetStart;
    ctx = { pg, fleet, deadline: started + config.budgetMs, results, running: new Set() };
    try {
      // Fixed-cost scenarios first; the viewer capacity search (the most open-ended) last.
      for (const server of SERVER_KEYS) await throughput(ctx, server);
      await profile(ctx, 'after');
      await profile(ctx, 'before');
      for (const server of SERVER_KEYS) await realistic(ctx, server);
      await twoProcesses(ctx);
      await resyncScenario(ctx);
      for (const server of SERVER_KEYS) await fanout(ctx, server);
    } finally {
      await Promise.allSettled([...ctx.running].map((c) => c.close()));
      await fleet.shutdown();
    }
  } finally {
    await fleetStart.then((f) => f.shutdown()).catch(() => {});
    await pg.destroy();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const seconds = (Date.now() - started) / 1000;
  const report = buildReport(results, path.join(ROOT, 'docs'), seconds);
  return { name: 'pipeline', table: report.table, summary: report.summary };
}

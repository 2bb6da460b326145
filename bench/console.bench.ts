/**
 * The console core, measured in one run against references:
 * 1. Local command latency (await run('score') -> committed, view updated) with the product's
 *    synchronous=FULL (fsync per commit, survives power loss) vs synchronous=NORMAL as the
 *    reference (WAL without fsync per commit: may lose the last commits on power loss).
 * 2. Re-sync after an outage: 10,000 events scored with the server down, then the server
 *    (child process, real PostgreSQL) starts; time from server ready to every event confirmed.
 *    Reference: the same console pushing one event per push (a naive outbox), on fewer events.
 * BENCH_CONSOLE_COMMANDS (default 2000) and BENCH_CONSOLE_BACKLOG (default 10000) scale it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PUSH_CHUNK_EVENTS } from '../desktop/core/constants.js';
import { createConsoleCore } from '../desktop/core/console-core.js';
import { openEmbeddedPostgres } from '../server/db/embedded-postgres.js';
import { freeLoopbackPort } from '../test/support/ports.js';
import { resync, scoreMany, silent } from './console/resync.js';
import type { BenchResult } from './types.js';

const COMMANDS = Number(process.env.BENCH_CONSOLE_COMMANDS ?? 2_000);
const BACKLOG = Number(process.env.BENCH_CONSOLE_BACKLOG ?? 10_000);
/** One event per push waits a batch window per event: keep the reference small. */
const NAIVE_BACKLOG = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function commitLatency(synchronous: 'FULL' | 'NORMAL') {
  // On the real disk (not a tmpfs), so fsync costs what it costs on a laptop.
  const dir = mkdtempSync(path.join(tmpdir(), `scoredesk-bench-${synchronous}-`));
  const core = await createConsoleCore({ dataDir: dir, logger: silent, synchronous });
  // A subscriber, as the operator's screen: views are built too.
  let views = 0;
  core.subscribe(() => views++);
  const latencies: number[] = [];
  const t0 = performance.now();
  await scoreMany(core, COMMANDS, latencies);
  const seconds = (performance.now() - t0) / 1000;
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    synchronous,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1)!,
    perS: COMMANDS / seconds,
    views,
  };
}

export default async function run(): Promise<BenchResult> {
  const full = await commitLatency('FULL');
  const normal = await commitLatency('NORMAL');

  const pgDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-bench-pg-'));
  const pgdb = await openEmbeddedPostgres({ dir: pgDir, port: await freeLoopbackPort(), database: 'bench_console' });
  let ours;
  let small;
  let naive;
  try {
    ours = await resync(pgdb.url, BACKLOG, PUSH_CHUNK_EVENTS);
    small = await resync(pgdb.url, BACKLOG, 100);
    naive = await resync(pgdb.url, NAIVE_BACKLOG, 1);
  } finally {
    await pgdb.stop();
    rmSync(pgDir, { recursive: true, force: true });
  }

  const f = (n: number, d = 2) => n.toFixed(d);
  const table = [
    `Local command commit (${COMMANDS} points, await run('score') until committed and shown; WAL):`,
    '',
    '| synchronous | p50 ms | p99 ms | max ms | commands/s |',
    '|---|---|---|---|---|',
    `| FULL (product) | ${f(full.p50, 3)} | ${f(full.p99, 3)} | ${f(full.max)} | ${f(full.perS, 0)} |`,
    `| NORMAL (reference) | ${f(normal.p50, 3)} | ${f(normal.p99, 3)} | ${f(normal.max)} | ${f(normal.perS, 0)} |`,
    '',
    `FULL costs ${f(full.p50 / normal.p50)}x NORMAL at p50 and ${f(full.p99 / normal.p99)}x at p99: the price of surviving a power cut.`,
    '',
    'Re-sync after an outage (events scored with the server down; timed from the console connecting to all confirmed; real server child + PostgreSQL):',
    '',
    '| outbox | events | seconds | events/s |',
    '|---|---|---|---|',
    `| chunks of ${PUSH_CHUNK_EVENTS} (product) | ${ours.events} | ${f(ours.seconds)} | ${f(ours.perS, 0)} |`,
    `| chunks of 100 | ${small.events} | ${f(small.seconds)} | ${f(small.perS, 0)} |`,
    `| one event per push (naive reference) | ${naive.events} | ${f(naive.seconds)} | ${f(naive.perS, 0)} |`,
    '',
    `Chunked drain is ${f(ours.perS / naive.perS, 0)}x the naive outbox's rate.`,
  ].join('\n');
  return {
    name: 'console',
    table,
    summary: {
      commitP50FullMs: Number(f(full.p50, 3)),
      commitP99FullMs: Number(f(full.p99, 3)),
      commitP50NormalMs: Number(f(normal.p50, 3)),
      commitP99NormalMs: Number(f(normal.p99, 3)),
      fullVsNormalP50: Number(f(full.p50 / normal.p50)),
      resyncEventsPerS: Number(f(ours.perS, 0)),
      resyncSeconds10k: Number(f(ours.seconds)),
      resyncVsNaive: Number(f(ours.perS / naive.perS, 1)),
    },
  };
}

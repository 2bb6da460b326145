/**
 * Load: many consoles (one per court) and many viewers against one and two server
 * processes (postgres adapter), and the reference mode when the server offers one.
 * Per mode: a realistic phase (1 event/s per court), a stress phase, a short ramp
 * search for the highest rate whose p99 console-to-viewer latency stays under 150 ms,
 * and the memory of idle connections. Writes the table and docs/benchmarks-latency.svg.
 *
 * Bounded by default (a few minutes); scale with SCOREDESK_LOAD_COURTS, _VIEWERS,
 * _IDLE, _PHASE_MS, _RAMP_MS; pick modes with SCOREDESK_LOAD_MODES=one,two,reference.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlledPostgres } from '../test/faults/harness/postgres-control.js';
import { REFERENCE_ENTRY, startCluster, type ModeSpec } from './load/cluster.js';
import { measureIdle } from './load/idle.js';
import { rampSearch } from './load/ramp.js';
import { loadTable, writeChart, type ModeReport } from './load/report.js';
import { round } from './load/stats.js';
import { Traffic, type PhaseResult } from './load/traffic.js';
import type { BenchResult } from './types.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** A venue-sized tournament: 40 courts. */
const COURTS = env('SCOREDESK_LOAD_COURTS', 40);
/** Thousands of viewers: the box (2 cores) holds this next to the server and PostgreSQL. */
const VIEWERS = env('SCOREDESK_LOAD_VIEWERS', 2000);
const IDLE_SOCKETS = env('SCOREDESK_LOAD_IDLE', 4000);
const PHASE_MS = env('SCOREDESK_LOAD_PHASE_MS', 10_000);
const RAMP_MS = env('SCOREDESK_LOAD_RAMP_MS', 4_000);
/** Realistic: a point about every second per court; stress: a fast basketball court times twenty. */
const REALISTIC_PER_COURT = 1;
const STRESS_PER_COURT = 20;
/** Ramp: events/s per court, doubled from 0.5 up to 64 until p99 misses the target; then one bisection step. */
const RAMP = { start: 0.5, max: 64, bisections: 1 };
/** The product's latency target for viewers (one 100 ms window plus commit and fan-out). */
const TARGET_P99_MS = 150;

const MODES: Record<string, ModeSpec> = {
  one: { label: 'scoredesk, 1 process', processes: 1, env: {} },
  two: { label: 'scoredesk, 2 processes', processes: 2, env: { SCOREDESK_ADAPTER: 'postgres' } },
  reference: { label: 'reference (guide design)', processes: 1, env: {}, reference: true },
};

export default async function run(): Promise<BenchResult> {
  const wanted = (process.env.SCOREDESK_LOAD_MODES ?? 'one,two,reference').split(',');
  const pgCluster = await startControlledPostgres({ fsync: true });
  const reports: ModeReport[] = [];
  try {
    for (const key of wanted) {
      const mode = MODES[key];
      if (!mode) continue;
      if (mode.reference && !existsSync(path.join(ROOT, REFERENCE_ENTRY))) {
        reports.push({
          label: mode.label,
          phases: [],
          ramp: [],
          sustained: null,
          idle: null,
          skipped: 'the server has no reference mode yet',
        });
        continue;
      }
      console.log(`[load] ${mode.label}`);
      reports.push(await runMode(pgCluster, mode));
    }
  } finally {
    await pgCluster.destroy();
  }
  const docs = path.join(ROOT, 'docs');
  writeChart(docs, reports, TARGET_P99_MS);
  const summary: Record<string, number | string> = {};
  for (const r of reports.filter((x) => !x.skipped)) {
    const key = r.label.replace(/[^a-z0-9]+/gi, '_');
    const realistic = r.phases[0];
    if (realistic) {
      summary[`${key}_realistic_p99_ms`] = round(realistic.latency.p99);
      summary[`${key}_realistic_lost`] = realistic.lost;
    }
    summary[`${key}_sustained_events_per_s`] = r.sustained ?? 0;
    if (r.idle) summary[`${key}_idle_mb_per_1000`] = round(r.idle.mbPer1000);
  }
  return {
    name: 'load',
    table: loadTable(
      {
        courts: COURTS,
        viewers: VIEWERS,
        idleSockets: IDLE_SOCKETS,
        targetP99Ms: TARGET_P99_MS,
        rampSeconds: RAMP_MS / 1000,
      },
      reports,
    ),
    summary,
  };
}

async function runMode(
  pgCluster: Awaited<ReturnType<typeof startControlledPostgres>>,
  mode: ModeSpec,
): Promise<ModeReport> {
  const report: ModeReport = { label: mode.label, phases: [], ramp: [], sustained: null, idle: null };
  const cluster = await startCluster(pgCluster, mode, COURTS);
  try {
    const traffic = await Traffic.open(cluster, VIEWERS);
    try {
      report.phases.push(
        log(await traffic.phase(`realistic ${REALISTIC_PER_COURT}/s per court`, REALISTIC_PER_COURT, PHASE_MS)),
      );
      report.phases.push(
        log(await traffic.phase(`stress ${STRESS_PER_COURT}/s per court`, STRESS_PER_COURT, PHASE_MS)),
      );
      const ramp = await rampSearch(
        async (perCourt) => log(await traffic.phase(`ramp ${perCourt}/s per court`, perCourt, RAMP_MS)),
        (p: PhaseResult) => p.latency.p99 < TARGET_P99_MS && p.lost === 0,
        RAMP,
      );
      report.ramp.push(...ramp.steps);
      report.sustained = ramp.sustained;
    } finally {
      await traffic.close();
    }
  } finally {
    await cluster.close();
  }
  // Idle memory on a fresh deployment, so traffic garbage does not count.
  const idleCluster = await startCluster(pgCluster, mode, 1);
  try {
    report.idle = await measureIdle(idleCluster, mode.label, IDLE_SOCKETS);
    console.log(`[load]   idle: ${JSON.stringify(report.idle)}`);
  } finally {
    await idleCluster.close();
  }
  return report;
}

function log(p: PhaseResult): PhaseResult {
  console.log(
    `[load]   ${p.label}: offered ${round(p.offeredPerSecond)}/s accepted ${round(p.acceptedPerSecond)}/s ` +
      `p50 ${round(p.latency.p50)} p95 ${round(p.latency.p95)} p99 ${round(p.latency.p99)} ms, lost ${p.lost}/${p.expectedDeliveries}, ` +
      `server cpu ${round(p.serverCpuPercent)}% rss ${round(p.serverRssMaxMb)} MB, generator cpu ${round(p.benchCpuPercent)}%, ` +
      `refused ${JSON.stringify(p.refusals)}`,
  );
  return p;
}

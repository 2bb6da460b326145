/**
 * Sizes, rates, durations and targets of the pipeline bench (issue 18), each overridable
 * by an environment variable for a quick smoke run (e.g. a few consoles, tens of viewers,
 * 2 s phases). The defaults are the figures and keep the run under 15 minutes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const num = (name: string, fallback: number) => {
  const raw = process.env[`SCOREDESK_PIPELINE_${name}`];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`SCOREDESK_PIPELINE_${name}=${raw} is not a number`);
  return value;
};
const list = (name: string, fallback: string) =>
  (process.env[`SCOREDESK_PIPELINE_${name}`] || fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const SCENARIOS = [
  'throughput',
  'wall',
  'profile',
  'realistic',
  'logins',
  'fanout',
  'capacity',
  'two',
  'resync',
];

export const config = {
  /** Which scenarios run (SCOREDESK_PIPELINE_SCENARIOS=throughput,realistic,...). */
  scenarios: new Set(list('SCENARIOS', SCENARIOS.join(','))),
  /** Which servers run where both can (SCOREDESK_PIPELINE_SERVERS=ours,reference). */
  servers: new Set(list('SERVERS', 'ours,reference')),
  /** Checkout whose server is "scoredesk" (default this one; another for a smoke run while it is being rewritten). */
  serverDir: path.resolve(process.env.SCOREDESK_PIPELINE_SERVER_DIR || ROOT),
  /** Checkout of the original commit (2386a78) for the "before" CPU profile; unset: not profiled. */
  beforeDir: process.env.SCOREDESK_BENCH_BEFORE_DIR ? path.resolve(process.env.SCOREDESK_BENCH_BEFORE_DIR) : null,
  /**
   * Whole-run budget: scenarios (and capacity steps) that would start after it are reported as
   * not run; 13 minutes leaves room for the one running then to finish under 15.
   */
  budgetMs: num('BUDGET_S', 780) * 1000,
  /** Node flags for our server process only (an experiment: SCOREDESK_PIPELINE_OURS_NODE_ARGS=--max-semi-space-size=4). */
  oursNodeArgs: list('OURS_NODE_ARGS', ''),
  /** Viewer load-generator child processes. */
  viewerProcesses: num('VIEWER_PROCS', 4),
  /** Pushes a console keeps in flight: 1, as the console core's outbox (what it accumulated goes in the next push). */
  inFlight: num('IN_FLIGHT', 1),
  targetP99Ms: num('TARGET_P99_MS', 150),

  throughput: {
    courts: num('TP_COURTS', 100),
    viewers: num('TP_VIEWERS', 1000),
    stepMs: num('TP_STEP_MS', 3000),
    /** Per-court events/s: doubled from start until a step misses, then bisected. */
    start: num('TP_START', 2.5),
    max: num('TP_MAX', 320),
    bisections: num('TP_BISECTIONS', 3),
    /** Target: ours / reference. */
    targetRatio: 4,
  },
  wall: {
    perCourt: num('WALL_PER_COURT', 5),
    ms: num('WALL_MS', 5000),
    targetFramesPerSecond: 10,
  },
  profile: {
    /** Copy the raw .cpuprofile files here (open them in Chrome DevTools); unset: deleted. */
    keepDir: process.env.SCOREDESK_PIPELINE_KEEP_PROFILES
      ? path.resolve(process.env.SCOREDESK_PIPELINE_KEEP_PROFILES)
      : null,
    /** Fixed high rate (per court) of the profiled throughput run. */
    perCourt: num('PROFILE_PER_COURT', 80),
    ms: num('PROFILE_MS', 8000),
    top: 10,
  },
  realistic: {
    courts: num('RE_COURTS', 40),
    viewers: num('RE_VIEWERS', 2000),
    perCourt: num('RE_PER_COURT', 1),
    /** 20 s: 800 pushes, so the ack p99 compared with the reference is not the 4th-worst of 400. */
    ms: num('RE_MS', 20_000),
    /** Our viewer p99 at most this times the reference's ack p99. */
    viewerVsReferenceAck: 2,
  },
  logins: {
    users: num('LOGINS', 200),
    /** The burst phase drives at least this long (and until every login answered). */
    minMs: num('LOGINS_MS', 3000),
  },
  fanout: {
    courts: num('FO_COURTS', 20),
    viewers: num('FO_VIEWERS', 5000),
    perCourt: num('FO_PER_COURT', 2),
    ms: num('FO_MS', 10_000),
    viewerVsReference: 3,
    rssVsReference: 1.3,
  },
  capacity: {
    /** Viewer counts tried on the fan-out deployment at the realistic rate, until one misses. */
    steps: list('CAPACITY_STEPS', '5000,10000,20000').map(Number),
    ms: num('CAPACITY_MS', 6000),
    aim: num('CAPACITY_AIM', 20_000),
    /** Open files a server process needs besides its sockets (PostgreSQL, listeners, modules). */
    fdReserve: num('FD_RESERVE', 200),
  },
  resync: {
    events: num('RESYNC_EVENTS', 10_000),
    targetSeconds: 1,
  },
};

export type PipelineConfig = typeof config;

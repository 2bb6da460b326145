/**
 * The scenarios of the pipeline bench, each against a fresh deployment (bench/load's
 * startCluster on the bench's PostgreSQL) with bench/load's Traffic: raw consoles with the
 * console core's outbox shape (what accumulated while a push was in flight leaves in the
 * next push, up to 500 events) and viewers in the ViewerFleet's child processes. Every
 * deployment, socket and child is closed in `finally`, whatever fails.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PUSH_ACK_TIMEOUT_MS, PUSH_CHUNK_EVENTS } from '../../desktop/core/constants.js';
import { adminToken } from '../../test/faults/harness/api.js';
import type { ControlledPostgres } from '../../test/faults/harness/postgres-control.js';
import { processOpenFileLimit } from '../../test/support/process-stats.js';
import { resync, type ResyncResult } from '../console/resync.js';
import { startCluster, type Cluster, type ModeSpec } from '../load/cluster.js';
import { rampSearch } from '../load/ramp.js';
import { round } from '../load/stats.js';
import { sleep, Traffic, type PhaseResult, type TrafficOptions } from '../load/traffic.js';
import { config, ROOT } from './config.js';
import { CourtWall, type WallResult } from './court-wall.js';
import { createLoginUsers, loginBurst, type BurstResult } from './logins.js';
import { summariseProfiles, type ProfileSummary } from './profile.js';
import type { ViewerFleet } from './viewer-fleet.js';

export type ServerKey = 'ours' | 'reference';
export const SERVER_KEYS: ServerKey[] = ['ours', 'reference'];

export interface NotRun {
  skipped: string;
}
export type Maybe<T> = T | NotRun;
export function ran<T>(x: Maybe<T> | undefined): x is T {
  return x !== undefined && !(typeof x === 'object' && x !== null && 'skipped' in x);
}

export interface PhaseRow {
  scenario: string;
  server: string;
  viewers: number;
  phase: PhaseResult;
}

export interface ThroughputRun {
  ramp: PhaseResult[];
  sustained: number | null;
}

export interface CapacityStep {
  /** Viewers asked for, and held open when the phase ran (capped by the open-file limit). */
  target: number;
  viewers: number;
  cappedBy: number | null;
  connected: number;
  phase: PhaseResult | null;
  held: boolean;
}

export interface CapacityRun {
  steps: CapacityStep[];
  /** Most viewers of a step that held (0: none). */
  held: number;
  fdLimit: number;
}

export interface ProfileRun {
  label: string;
  perCourt: number;
  phase: PhaseResult;
  summary: ProfileSummary;
}

export interface LoginsRun {
  phase: PhaseResult;
  burst: BurstResult;
}

export interface Results {
  throughput: Partial<Record<ServerKey, Maybe<ThroughputRun>>>;
  wall: Maybe<{ frames: WallResult; v1: WallResult }>;
  profile: { after: Maybe<ProfileRun>; before: Maybe<ProfileRun> };
  realistic: Partial<Record<ServerKey, Maybe<PhaseResult>>>;
  logins: Maybe<LoginsRun>;
  fanout: Partial<Record<ServerKey, Maybe<PhaseResult>>>;
  capacity: Partial<Record<ServerKey, Maybe<CapacityRun>>>;
  two: Maybe<PhaseResult>;
  resync: Maybe<ResyncResult>;
  phases: PhaseRow[];
}

export const NOT_RUN: NotRun = { skipped: 'not run (not selected)' };

/** Why the reference cannot take part in a scenario. */
export const REFERENCE_CANNOT = {
  wall: 'n/a: the reference has no SUBSCRIBE_COURTS (no court following)',
  logins: 'n/a: the reference has no users, passwords or login',
  two: 'n/a: the reference has no adapter (one process only)',
  resync: 'n/a: the reference has no login, match:claim or match:pull, which the console core needs',
};

export function emptyResults(): Results {
  return {
    throughput: {},
    wall: NOT_RUN,
    profile: { after: NOT_RUN, before: NOT_RUN },
    realistic: {},
    logins: NOT_RUN,
    fanout: {},
    capacity: {},
    two: NOT_RUN,
    resync: NOT_RUN,
    phases: [],
  };
}

export interface Context {
  pg: ControlledPostgres;
  fleet: ViewerFleet;
  deadline: number;
  results: Results;
  /** Deployments running right now (closed by the bench if it is interrupted). */
  running: Set<Cluster>;
}

/** startCluster, registered in ctx.running until closed. */
async function deploy(ctx: Context, mode: ModeSpec, courts: number): Promise<Cluster> {
  const cluster = await startCluster(ctx.pg, mode, courts);
  ctx.running.add(cluster);
  const close = cluster.close.bind(cluster);
  cluster.close = async () => {
    ctx.running.delete(cluster);
    await close();
  };
  return cluster;
}

/**
 * Both servers run as `npm run server` does (compiled ahead by scripts/server.mjs, the reference
 * through the same launcher), so memory and CPU are compared as deployed, without the tsx loader.
 */
export const MODES: Record<ServerKey | 'two', ModeSpec> = {
  ours: {
    label: 'scoredesk',
    processes: 1,
    env: {},
    cwd: config.serverDir,
    compiled: true,
    ...(config.oursNodeArgs.length ? { nodeArgs: config.oursNodeArgs } : {}),
  },
  reference: { label: 'reference (guide design)', processes: 1, env: {}, reference: true, cwd: ROOT, compiled: true },
  two: {
    label: 'scoredesk, 2 processes',
    processes: 2,
    env: { SCOREDESK_ADAPTER: 'postgres' },
    cwd: config.serverDir,
    compiled: true,
  },
};

/** A court wall's last frame of a phase may trail the other viewers by a window. */
const WALL_CATCH_UP_MS = 3_000;
/** After a step that did not settle: let the backlog drain so it does not spill into the next step. */
const DRAIN_AFTER_MS = 30_000;
/**
 * Unmeasured traffic at the ramp's first rate before its first step, for both servers:
 * a fresh process compiles its hot paths, opens its PostgreSQL connections and reads
 * every match on first sight in these seconds, which is not the steady state a ramp step
 * measures (a cold first step alone missed 150 ms and ended the search at once).
 */
const RAMP_WARM_UP_MS = 3_000;

export function say(message: string): void {
  console.log(`[pipeline] ${message}`);
}

function logPhase(ctx: Context, scenario: string, server: string, viewers: number, p: PhaseResult): PhaseResult {
  ctx.results.phases.push({ scenario, server, viewers, phase: p });
  const ms = (v: number) => (Number.isFinite(v) ? round(v) : 'n/a');
  say(
    `  ${server} / ${p.label}: offered ${round(p.offeredPerSecond)}/s accepted ${round(p.acceptedPerSecond)}/s, ` +
      `viewer p50 ${ms(p.latency.p50)} p99 ${ms(p.latency.p99)} ms` +
      (p.windowLatency ? ` (window p99 ${ms(p.windowLatency.p99)})` : '') +
      `, ack p99 ${ms(p.ackLatency.p99)} ms, lost ${p.lost}/${p.expectedDeliveries}, violations ${p.violations}, ` +
      `refused ${JSON.stringify(p.refusals)}, server cpu ${round(p.serverCpuPercent)}% rss ${round(p.serverRssMaxMb)} MB, ` +
      `generator cpu ${round(p.benchCpuPercent)}%${p.settled ? '' : ', NOT settled'}`,
  );
  if (p.violations > 0) say(`    violations: ${ctx.fleet.lastViolations.join(' | ')}`);
  return p;
}

/** Run `work` when its scenario and server are selected and the budget allows; failures become "not run". */
export async function attempt<T>(
  ctx: Context,
  scenario: string,
  server: ServerKey | null,
  work: () => Promise<T>,
  selected = config.scenarios.has(scenario),
): Promise<Maybe<T>> {
  if (!selected) return NOT_RUN;
  if (server && !config.servers.has(server)) return NOT_RUN;
  if (Date.now() > ctx.deadline)
    return { skipped: `not run: the time budget (SCOREDESK_PIPELINE_BUDGET_S) was used up` };
  const label = server ? `${scenario} / ${MODES[server].label}` : scenario;
  say(`${label}`);
  const started = Date.now();
  try {
    const result = await work();
    say(`${label}: done in ${round((Date.now() - started) / 1000)} s`);
    return result;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    say(`${label}: FAILED: ${message}`);
    return { skipped: `failed: ${message.split('\n')[0]!.slice(0, 200)}` };
  }
}

function trafficOptions(ctx: Context, extra: Partial<TrafficOptions> = {}): TrafficOptions {
  return {
    chunk: PUSH_CHUNK_EVENTS,
    maxInFlight: config.inFlight,
    ackTimeoutMs: PUSH_ACK_TIMEOUT_MS,
    viewers: ctx.fleet,
    ...extra,
  };
}

/** A fresh deployment with consoles and viewers, closed whatever `work` does. */
async function withTraffic<T>(
  ctx: Context,
  mode: ModeSpec,
  courts: number,
  viewers: number,
  work: (traffic: Traffic, cluster: Cluster) => Promise<T>,
  placement?: (cluster: Cluster) => Partial<TrafficOptions>,
): Promise<T> {
  const cluster = await deploy(ctx, mode, courts);
  try {
    const traffic = await Traffic.open(cluster, viewers, trafficOptions(ctx, placement?.(cluster)));
    try {
      return await work(traffic, cluster);
    } finally {
      await traffic.close();
    }
  } finally {
    await cluster.close();
  }
}

async function drainAfter(traffic: Traffic, p: PhaseResult): Promise<void> {
  if (p.settled) return;
  await Promise.race([Promise.all(traffic.consoles.map((c) => c.drained())), sleep(DRAIN_AFTER_MS)]);
}

const holdsLatency = (p: PhaseResult) => p.latency.p99 <= config.targetP99Ms && p.lost === 0;

/** Throughput ramp, then (ours, same deployment) the court wall. */
export async function throughput(ctx: Context, server: ServerKey): Promise<void> {
  const t = config.throughput;
  const wantWall = server === 'ours' && config.scenarios.has('wall') && config.servers.has('ours');
  if (wantWall) ctx.results.wall = { skipped: 'not run: the throughput deployment it runs in failed' };
  // The court wall runs in the throughput deployment (selecting wall alone deploys it, without the ramp).
  const result = await attempt(
    ctx,
    'throughput',
    server,
    () =>
      withTraffic(ctx, MODES[server], t.courts, t.viewers, async (traffic, cluster) => {
        const step = async (perCourt: number) => {
          const p = logPhase(
            ctx,
            'throughput',
            MODES[server].label,
            traffic.viewerCount,
            await traffic.phase(`ramp ${perCourt}/s per court`, perCourt, t.stepMs),
          );
          await drainAfter(traffic, p);
          return p;
        };
        if (config.scenarios.has('throughput')) {
          await drainAfter(traffic, await traffic.phase(`warm-up ${t.start}/s per court`, t.start, RAMP_WARM_UP_MS));
        }
        const ramp = config.scenarios.has('throughput')
          ? await rampSearch(step, holdsLatency, { start: t.start, max: t.max, bisections: t.bisections })
          : { steps: [], sustained: null };
        if (wantWall) ctx.results.wall = await courtWall(ctx, traffic, cluster);
        return { ramp: ramp.steps, sustained: ramp.sustained };
      }),
    config.scenarios.has('throughput') || wantWall,
  );
  if (config.scenarios.has('throughput')) ctx.results.throughput[server] = result;
}

async function courtWall(
  ctx: Context,
  traffic: Traffic,
  cluster: Cluster,
): Promise<Maybe<{ frames: WallResult; v1: WallResult }>> {
  return attempt(ctx, 'wall', 'ours', async () => {
    const w = config.wall;
    const [framesToken, v1Token] = await cluster.tokens('viewer', 2);
    const walls: CourtWall[] = [];
    try {
      walls.push(await CourtWall.open(cluster, true, framesToken!));
      walls.push(await CourtWall.open(cluster, false, v1Token!));
      const startSeq: Record<string, number> = {};
      for (const c of traffic.consoles) startSeq[c.matchId] = c.log.length;
      for (const wall of walls) wall.startPhase(startSeq);
      const p = logPhase(
        ctx,
        'court wall',
        MODES.ours.label,
        traffic.viewerCount,
        await traffic.phase(`court wall ${w.perCourt}/s per court`, w.perCourt, w.ms),
      );
      const expected = traffic.consoles.reduce((n, c) => n + c.log.length - startSeq[c.matchId]!, 0);
      await Promise.all(walls.map((wall) => wall.caughtUp(expected, WALL_CATCH_UP_MS)));
      const [frames, v1] = walls.map((wall) => wall.result(p, expected)) as [WallResult, WallResult];
      for (const [wall, r] of [
        [walls[0]!, frames],
        [walls[1]!, v1],
      ] as const) {
        say(
          `  court wall (${r.frames ? 'frames' : 'v1'}): ${round(r.framesPerSecond)} frames/s (${r.framesInSpan} in the span) ${JSON.stringify(r.byEvent)}, ` +
            `events ${r.eventsReceived}/${r.eventsExpected}, violations ${r.violations}, p99 ${round(r.latency.p99)} ms`,
        );
        if (r.violations) say(`    ${wall.violationSamples().join(' | ')}`);
      }
      return { frames, v1 };
    } finally {
      for (const wall of walls) wall.close();
    }
  });
}

/** The throughput load at a fixed high rate against a server run with --cpu-prof. */
export async function profile(ctx: Context, which: 'after' | 'before'): Promise<void> {
  const checkout = which === 'after' ? config.serverDir : config.beforeDir;
  if (!checkout) {
    ctx.results.profile.before = config.scenarios.has('profile')
      ? {
          skipped:
            'not run: SCOREDESK_BENCH_BEFORE_DIR unset (a checkout of the original commit: git worktree add /tmp/scoredesk-before 2386a78, node_modules symlinked)',
        }
      : NOT_RUN;
    return;
  }
  const t = config.throughput;
  const p = config.profile;
  const label =
    which === 'after'
      ? `scoredesk (${checkout === ROOT ? 'this checkout' : checkout})`
      : `scoredesk before (${checkout})`;
  ctx.results.profile[which] = await attempt(ctx, 'profile', 'ours', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), `scoredesk-cpuprof-${which}-`));
    try {
      const mode: ModeSpec = {
        ...MODES.ours,
        label,
        cwd: checkout,
        // The before checkout has no launcher; both profiles run from sources, so their entries name the same files.
        compiled: false,
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      };
      const cluster = await deploy(ctx, mode, t.courts);
      let phase: PhaseResult;
      let exitedAt: number;
      try {
        const traffic = await Traffic.open(cluster, t.viewers, trafficOptions(ctx));
        try {
          phase = logPhase(
            ctx,
            'cpu profile',
            label,
            traffic.viewerCount,
            await traffic.phase(`profile ${p.perCourt}/s per court`, p.perCourt, p.ms),
          );
        } finally {
          await traffic.close();
        }
        // The profile is written when the process exits: SIGTERM (graceful), not SIGKILL.
        await cluster.servers[0]!.stop();
        exitedAt = Date.now();
      } finally {
        await cluster.close();
      }
      const summary = await summariseProfiles(
        dir,
        checkout,
        { from: phase.startedAt, to: phase.startedAt + phase.drivenMs, exitedAt },
        p.top,
      );
      if (!summary) throw new Error('no profile written (the server did not exit by itself within 10 s of SIGTERM)');
      if (p.keepDir) {
        const into = path.join(p.keepDir, which);
        mkdirSync(into, { recursive: true });
        cpSync(dir, into, { recursive: true });
        say(`  profiles kept in ${into}`);
      }
      say(
        `  ${label}: ${summary.samples} samples, idle ${round(summary.idlePercent)}%, top: ` +
          summary.top
            .slice(0, 3)
            .map((e) => `${e.fn} ${round(e.percent)}%`)
            .join(', '),
      );
      return { label, perCourt: p.perCourt, phase, summary };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Realistic traffic; for ours, then a burst of logins in the same deployment. */
export async function realistic(ctx: Context, server: ServerKey): Promise<void> {
  const r = config.realistic;
  const wantLogins = server === 'ours' && config.scenarios.has('logins') && config.servers.has('ours');
  if (wantLogins) ctx.results.logins = { skipped: 'not run: the realistic deployment it runs in failed' };
  // The burst runs in the realistic deployment, so selecting logins alone runs it too.
  const selected = config.scenarios.has('realistic') || wantLogins;
  const realisticResult = await attempt(
    ctx,
    'realistic',
    server,
    () =>
      withTraffic(ctx, MODES[server], r.courts, r.viewers, async (traffic, cluster) => {
        // Users for the burst first: creating them hashes too, and must not disturb the measurement.
        let users: Awaited<ReturnType<typeof createLoginUsers>> = [];
        if (wantLogins) {
          const admin = await adminToken(cluster.servers[0]!.url);
          users = await createLoginUsers(cluster.servers[0]!.url, admin, config.logins.users);
        }
        const phase = logPhase(
          ctx,
          'realistic',
          MODES[server].label,
          traffic.viewerCount,
          await traffic.phase(`realistic ${r.perCourt}/s per court`, r.perCourt, r.ms),
        );
        if (wantLogins)
          ctx.results.logins = await attempt(ctx, 'logins', 'ours', async () => {
            let burst: BurstResult | null = null;
            const p = logPhase(
              ctx,
              'logins',
              MODES[server].label,
              traffic.viewerCount,
              await traffic.phase(
                `${users.length} logins at once, ${r.perCourt}/s per court`,
                r.perCourt,
                config.logins.minMs,
                {
                  during: async () => {
                    await sleep(500);
                    burst = await loginBurst(cluster.servers[0]!.url, users);
                    return burst;
                  },
                },
              ),
            );
            const b = burst as BurstResult | null;
            if (!b) throw new Error('the login burst did not finish');
            const sorted = [...b.latenciesMs].sort((x, y) => x - y);
            say(
              `  burst: ${b.ok}/${users.length} ok in ${round(b.seconds, 2)} s (login p50 ${sorted[Math.floor(sorted.length / 2)] ?? 'n/a'} ms, ` +
                `max ${sorted.at(-1) ?? 'n/a'} ms)${b.failed ? `, failures ${JSON.stringify(b.errors)}` : ''}`,
            );
            return { phase: p, burst: b };
          });
        return phase;
      }),
    selected,
  );
  if (config.scenarios.has('realistic')) ctx.results.realistic[server] = realisticResult;
}

/** Many viewers per match; then, same deployment, viewers added step by step at the realistic rate. */
export async function fanout(ctx: Context, server: ServerKey): Promise<void> {
  const f = config.fanout;
  const c = config.capacity;
  const wantFanout = config.scenarios.has('fanout');
  const wantCapacity = config.scenarios.has('capacity');
  if (!wantFanout && !wantCapacity) return;
  const scenario = wantFanout ? 'fanout' : 'capacity';
  const initial = wantFanout ? f.viewers : Math.min(f.viewers, c.steps[0] ?? f.viewers);
  const outcome = await attempt(ctx, scenario, server, () =>
    withTraffic(ctx, MODES[server], f.courts, initial, async (traffic, cluster) => {
      let fan: Maybe<PhaseResult> = NOT_RUN;
      if (wantFanout)
        fan = logPhase(
          ctx,
          'fan-out',
          MODES[server].label,
          traffic.viewerCount,
          await traffic.phase(`fan-out ${f.perCourt}/s per court`, f.perCourt, f.ms),
        );
      let capacity: Maybe<CapacityRun> = NOT_RUN;
      if (wantCapacity) capacity = await capacitySteps(ctx, server, traffic, cluster);
      return { fan, capacity };
    }),
  );
  if (ran(outcome)) {
    ctx.results.fanout[server] = outcome.fan;
    ctx.results.capacity[server] = outcome.capacity;
  } else {
    if (wantFanout) ctx.results.fanout[server] = outcome;
    if (wantCapacity) ctx.results.capacity[server] = outcome;
  }
}

async function capacitySteps(
  ctx: Context,
  server: ServerKey,
  traffic: Traffic,
  cluster: Cluster,
): Promise<CapacityRun> {
  const c = config.capacity;
  const fdLimit = Math.min(...cluster.servers.map((s) => processOpenFileLimit(s.pid!)));
  const run: CapacityRun = { steps: [], held: 0, fdLimit };
  for (const target of c.steps) {
    if (Date.now() > ctx.deadline) break;
    const room = Number.isFinite(fdLimit) ? fdLimit - c.fdReserve : Number.POSITIVE_INFINITY;
    const want = Math.min(target, room);
    const cappedBy = want < target ? fdLimit : null;
    if (want <= run.held) break;
    let connected = traffic.viewerCount;
    if (want > traffic.viewerCount) {
      const added = await traffic.addViewers(want - traffic.viewerCount);
      connected = traffic.viewerCount - added.requested + Math.min(added.connected, added.subscribed);
      say(`  ${MODES[server].label}: ${connected}/${want} viewers connected and subscribed`);
    }
    const step: CapacityStep = { target, viewers: want, cappedBy, connected, phase: null, held: false };
    run.steps.push(step);
    if (connected < want) break;
    const r = config.realistic;
    step.phase = logPhase(
      ctx,
      'capacity',
      MODES[server].label,
      traffic.viewerCount,
      await traffic.phase(`${want} viewers, ${r.perCourt}/s per court`, r.perCourt, c.ms),
    );
    step.held = holdsLatency(step.phase);
    if (!step.held) break;
    run.held = want;
    if (cappedBy !== null) break;
  }
  return run;
}

/** Two processes on the postgres adapter: every console on one, every viewer on the other. */
export async function twoProcesses(ctx: Context): Promise<void> {
  const r = config.realistic;
  ctx.results.two = await attempt(ctx, 'two', 'ours', () =>
    withTraffic(
      ctx,
      MODES.two,
      r.courts,
      r.viewers,
      async (traffic) =>
        logPhase(
          ctx,
          'two processes',
          MODES.two.label,
          traffic.viewerCount,
          await traffic.phase(`realistic ${r.perCourt}/s per court, across processes`, r.perCourt, r.ms),
        ),
      (cluster) => ({ consoleUrl: () => cluster.servers[0]!.url, viewerUrl: () => cluster.servers[1]!.url }),
    ),
  );
}

/** bench/console's re-sync: a real console core's SQLite outbox of N events, drained after reconnecting. */
export async function resyncScenario(ctx: Context): Promise<void> {
  ctx.results.resync = await attempt(ctx, 'resync', 'ours', async () => {
    const url = await ctx.pg.createDatabase(`pipeline_resync_${process.pid}_${Date.now() % 100000}`);
    const r = await resync(url, config.resync.events, PUSH_CHUNK_EVENTS, {
      entry: path.join(config.serverDir, 'server/main.ts'),
    });
    say(`  re-sync: ${r.events} events in ${round(r.seconds, 2)} s (${round(r.perS)} events/s)`);
    return r;
  });
}

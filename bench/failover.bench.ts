/**
 * Failover: two server processes on one PostgreSQL, joined by the postgres adapter and
 * then by the redis adapter. CONSOLES raw consoles (one court each) reach them through a
 * loopback TCP proxy that, like a load balancer, sends each connection to the first
 * process that accepts. Each round kills the consoles' process with SIGKILL, records one
 * event on every console, and measures from the kill to each console's reconnect and to its
 * first acknowledged push on the survivor; then the dead process is started again (the
 * next round kills the other one). Target (issue 18): every console acknowledged within
 * 1 s of the kill, with either adapter.
 *
 * Bounded: about 40 s (server start-ups dominate); ROUNDS per adapter, each given at most
 * ROUND_TIMEOUT_MS. Loopback only: PostgreSQL, redis-server and the servers on 127.0.0.1.
 */
import { performance } from 'node:perf_hooks';
import { POSTGRES_HEARTBEAT_INTERVAL_MS } from '../server/adapters.js';
import { startControlledPostgres } from '../test/faults/harness/postgres-control.js';
import { FaultRig } from '../test/faults/harness/rig.js';
import { sleep, withDeadline } from '../test/support/wait.js';
import { scoringEvent } from '../test/faults/harness/scoring.js';
import type { RawConsole } from '../test/faults/harness/raw-console.js';
import { startRedisServer } from '../test/support/redis-server.js';
import type { BenchResult } from './types.js';

/** Consoles of one venue moving together (each a scorer of its own, each its own match). */
const CONSOLES = 10;
/** Kills per adapter (alternating between the two processes). */
const ROUNDS = 3;
/** A round that takes longer is reported as "> this" (the old behaviour was about 5 s). */
const ROUND_TIMEOUT_MS = 15_000;
/** Issue 18: consoles that reconnect to the survivor get acks within 1 s of the kill. */
const TARGET_MS = 1_000;
/** Events scored before the first kill, so every console is connected and acknowledged. */
const WARM_UP_EVENTS = 3;

type Adapter = 'postgres' | 'redis';

interface Round {
  /** Per console: ms from the kill to its reconnect, and to its first acknowledged push. */
  reconnectMs: number[];
  ackMs: number[];
  timedOut: boolean;
}

export default async function run(): Promise<BenchResult> {
  const pgCluster = await startControlledPostgres({ fsync: true });
  const redis = await startRedisServer();
  const results = new Map<Adapter, Round[]>();
  try {
    for (const adapter of ['postgres', 'redis'] as const) {
      const url = await pgCluster.createDatabase(`failover_${adapter}_${process.pid}`);
      const env: Record<string, string> = { SCOREDESK_ADAPTER: adapter, SCOREDESK_LOG_LEVEL: 'error' };
      if (adapter === 'redis') env.SCOREDESK_REDIS_URL = redis.url;
      console.log(`[failover] ${adapter} adapter: starting two processes`);
      const rig = await FaultRig.start({ databaseUrl: url, servers: 2, serverEnv: env, courts: CONSOLES, viewers: 0 });
      try {
        results.set(adapter, await measure(rig, adapter));
      } finally {
        await rig.close();
      }
    }
  } finally {
    await redis.stop();
    await pgCluster.destroy();
  }
  return report(results);
}

async function measure(rig: FaultRig, adapter: Adapter): Promise<Round[]> {
  scoreOnce(rig, WARM_UP_EVENTS);
  await withDeadline(drained(rig.consoles), ROUND_TIMEOUT_MS, () => 'consoles not acknowledged before the first kill');
  const rounds: Round[] = [];
  // The proxy sends new connections to the first process that accepts: the consoles start on 0.
  let victim = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const server = rig.servers[victim]!;
    const reconnectAt: number[] = new Array<number>(CONSOLES).fill(Number.NaN);
    const ackAt: number[] = new Array<number>(CONSOLES).fill(Number.NaN);
    // 'connect' of the namespace socket: the survivor's handshake (token, cap) has passed.
    const watchers = rig.consoles.map((c, i) => {
      const onConnect = () => (reconnectAt[i] = performance.now());
      c.socket.once('connect', onConnect);
      return () => c.socket.off('connect', onConnect);
    });
    const killedAt = performance.now();
    await server.kill9();
    // Recorded after the kill: their acks can only come from the survivor.
    scoreOnce(rig, 1);
    const acked = rig.consoles.map((c, i) => c.drained().then(() => (ackAt[i] = performance.now())));
    let timedOut = false;
    try {
      await withDeadline(Promise.all(acked), ROUND_TIMEOUT_MS, () => 'round timed out');
    } catch {
      timedOut = true;
    }
    for (const stop of watchers) stop();
    const round: Round = {
      reconnectMs: reconnectAt.map((t) => t - killedAt),
      ackMs: ackAt.map((t) => t - killedAt),
      timedOut,
    };
    rounds.push(round);
    console.log(
      `[failover]   ${adapter} round ${r + 1}: reconnect max ${fmt(max(round.reconnectMs))} ms, ` +
        `first ack ${fmt(min(round.ackMs))} ms, last ack ${fmt(max(round.ackMs))} ms${timedOut ? ' (timed out)' : ''}`,
    );
    if (timedOut) await withDeadline(drained(rig.consoles), ROUND_TIMEOUT_MS, () => 'consoles never recovered');
    // Bring the dead one back; the next round kills the process the consoles are on now.
    await server.restart();
    // Like long-running processes, the restarted one must know the other (its reply to the
    // restart's first heartbeat can come before it listens): the next heartbeat tells it.
    await sleep(2 * POSTGRES_HEARTBEAT_INTERVAL_MS);
    victim = 1 - victim;
  }
  return rounds;
}

function scoreOnce(rig: FaultRig, events: number): void {
  for (let i = 0; i < events; i++) for (const c of rig.consoles) c.record(scoringEvent(c.log.length + 1, rig.random));
}

function drained(consoles: RawConsole[]): Promise<unknown> {
  return Promise.all(consoles.map((c) => c.drained()));
}

function report(results: Map<Adapter, Round[]>): BenchResult {
  const rows: string[] = [];
  const summary: Record<string, number | string> = { target_ms: TARGET_MS };
  for (const [adapter, rounds] of results) {
    const reconnect = rounds.map((r) => max(r.reconnectMs));
    const first = rounds.map((r) => min(r.ackMs));
    const last = rounds.map((r) => max(r.ackMs));
    const worst = max(last);
    const met = rounds.every((r) => !r.timedOut) && worst <= TARGET_MS;
    rows.push(
      `| ${adapter} | ${rounds.length} | ${list(reconnect)} | ${list(first)} | ${list(last)} | ${fmt(worst)} | ${met ? 'yes' : 'no'} |`,
    );
    summary[`${adapter}_last_ack_worst_ms`] = Math.round(worst);
    summary[`${adapter}_target_met`] = met ? 'yes' : 'no';
  }
  const table = [
    `Two server processes on one PostgreSQL, ${CONSOLES} consoles (one court each) behind a loopback proxy that fails`,
    'over to the first process accepting. Each round kills the consoles\u2019 process with SIGKILL and records one event',
    'on every console; times are from the kill, one figure per round. Target (issue 18): every console acknowledged',
    `by the survivor within ${TARGET_MS} ms of the kill, with either adapter.`,
    '',
    '| adapter | rounds | last console connected (ms) | first ack (ms) | last ack (ms) | worst last ack (ms) | within 1 s |',
    '| ------- | -----: | --------------------------- | -------------- | ------------- | ------------------: | ---------- |',
    ...rows,
    '',
    `A round that had not finished after ${ROUND_TIMEOUT_MS / 1000} s shows as > ${ROUND_TIMEOUT_MS}. Before`,
    'server/security/connection-cap.ts bounded its cluster-wide count, each handshake on the survivor waited for the',
    'dead process until the postgres adapter\u2019s 5 s request timeout (measured here: 5.2 s to the last ack); the',
    'redis adapter sees the dead process leave at once (its subscriber connection closes), so it never waited',
    '(0.2 s).',
  ].join('\n');
  return { name: 'failover', table, summary };
}

function list(values: number[]): string {
  return values.map(fmt).join(', ');
}

function fmt(ms: number): string {
  if (Number.isNaN(ms)) return `> ${ROUND_TIMEOUT_MS}`;
  return String(Math.round(ms));
}

/** NaN (a console that never got there) wins: it is the worst case. */
function max(values: number[]): number {
  return values.some(Number.isNaN) ? Number.NaN : Math.max(...values);
}

function min(values: number[]): number {
  const known = values.filter((v) => !Number.isNaN(v));
  return known.length ? Math.min(...known) : Number.NaN;
}

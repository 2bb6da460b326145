/**
 * One fault scenario's world: server process(es) on a database, a TCP proxy in front of
 * them for consoles and one for viewers, users, matches, raw consoles and recording
 * viewers, and the final verdict (drain, catch up, check). Everything on loopback,
 * everything torn down by close().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../../server/db/pool.js';
import { adminToken, createMatch, userToken } from './api.js';
import { checkConsistency, storedEvents, type CheckReport, type ConsoleSource } from './checker.js';
import { RawConsole } from './raw-console.js';
import { seededRandom } from '../../support/random.js';
import { sleep, until, withDeadline } from '../../support/wait.js';
import { scoringEvent } from './scoring.js';
import type { CrashAt } from '../../support/crash-hooks.js';
import { RestartableServer } from '../../support/server-process.js';
import { TcpProxy } from './tcp-proxy.js';
import { RecordingViewer } from './viewer.js';

/** After faults heal: consoles drain and viewers catch up within this, or the run fails. */
export const SETTLE_TIMEOUT_MS = 45_000;
/** One probe of broadcastsFlow: far above a healthy loopback round trip, below a reconnect. */
const BROADCAST_PROBE_MS = 2_000;

export interface RigOptions {
  databaseUrl: string;
  servers?: number;
  serverEnv?: Record<string, string>;
  /** Every server starts with this crash point armed (server-crash.test.ts). */
  crash?: CrashAt;
  courts?: number;
  viewers?: number;
  seed?: number;
  /** Pushes each raw console keeps in flight (default 1). */
  maxInFlight?: number;
  /** Raw consoles' ack timeout (lost-ack tests shorten it). */
  ackTimeoutMs?: number;
}

export class FaultRig {
  readonly servers: RestartableServer[] = [];
  readonly consoles: RawConsole[] = [];
  readonly viewers: RecordingViewer[] = [];
  /** Consoles the server must refuse (second writer): checked as 'refused'. */
  readonly refusedConsoles: RawConsole[] = [];
  readonly matchIds: string[] = [];
  readonly random: () => number;
  consoleProxy!: TcpProxy;
  viewerProxy!: TcpProxy;
  pool!: pg.Pool;
  admin = '';
  viewerToken = '';
  private scorerCount = 0;

  constructor(readonly options: RigOptions) {
    this.random = seededRandom(options.seed ?? 1).next;
  }

  static async start(options: RigOptions): Promise<FaultRig> {
    const rig = new FaultRig(options);
    try {
      await rig.init();
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  private async init(): Promise<void> {
    const { databaseUrl } = this.options;
    // One signing secret: every process accepts the tokens any of them issued.
    const jwtSecret = randomBytes(24).toString('hex');
    // Servers start one after another: the first applies migrations.
    for (let i = 0; i < (this.options.servers ?? 1); i++)
      this.servers.push(
        await RestartableServer.start({
          databaseUrl,
          jwtSecret,
          env: { SCOREDESK_SERVER_ID: `fault-${i}`, ...(this.options.serverEnv ?? {}) },
          crash: this.options.crash ?? null,
        }),
      );
    const upstreams = this.servers.map((s) => ({ host: '127.0.0.1', port: s.port }));
    this.consoleProxy = await TcpProxy.start(upstreams);
    this.viewerProxy = await TcpProxy.start([...upstreams].reverse());
    this.pool = createPool(databaseUrl, 2);
    const base = this.servers[0]!.url;
    this.admin = await adminToken(base);
    this.viewerToken = await userToken(base, this.admin, 'fault-viewer', 'viewer');
    for (let court = 1; court <= (this.options.courts ?? 1); court++) {
      const match = await createMatch(base, this.admin, {
        court: `C${court}`,
        home: `Home C${court}`,
        away: `Away C${court}`,
      });
      this.matchIds.push(match.id);
      this.consoles.push(await this.newConsole(match.id));
    }
    for (let i = 0; i < (this.options.viewers ?? 1); i++) this.viewers.push(this.newViewer(`viewer-${i}`));
  }

  /** A raw console on the console proxy, logged in as a scorer of its own. */
  async newConsole(matchId: string, consoleId?: string): Promise<RawConsole> {
    // Any running process serves the API (one may be down in the middle of a fault).
    const api = (this.servers.find((s) => s.running) ?? this.servers[0]!).url;
    const token = await userToken(api, this.admin, `fault-scorer-${++this.scorerCount}`, 'scorer');
    return new RawConsole({
      url: this.consoleProxy.url,
      token,
      matchId,
      consoleId,
      ackTimeoutMs: this.options.ackTimeoutMs,
    });
  }

  newViewer(name: string): RecordingViewer {
    return new RecordingViewer({ url: this.viewerProxy.url, token: this.viewerToken, matchIds: this.matchIds, name });
  }

  /** Every console records `count` events, one every `intervalMs` (0: all at once). */
  async score(count: number, intervalMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      for (const c of this.consoles) c.record(scoringEvent(c.log.length + 1, this.random));
      if (intervalMs > 0) await sleep(intervalMs);
    }
  }

  /** Score for `ms` at one event per `intervalMs` per console. */
  async scoreFor(ms: number, intervalMs: number): Promise<void> {
    await this.score(Math.max(1, Math.round(ms / intervalMs)), intervalMs);
  }

  /** Until every console has `more` acks beyond what it has now: scoring is under way. */
  async acked(more: number, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    const target = this.consoles.map((c) => c.ackedSeq + more);
    await until(
      () => this.consoles.every((c, i) => c.ackedSeq >= target[i]!),
      () => `${more} more acks for every console: ${this.consoles.map((c) => c.ackedSeq).join(', ')}`,
      timeoutMs,
    );
  }

  /**
   * Until broadcasts flow again end to end (after a restart of PostgreSQL or a process):
   * one more event per console, and every viewer reaches it within `probeMs`; repeated
   * while they do not (an event broadcast during the outage is filled in by the next).
   */
  async broadcastsFlow(probeMs = BROADCAST_PROBE_MS, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.score(1, 0);
      try {
        await this.settle(probeMs);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Wait for every outbox to drain and every viewer to reach PostgreSQL's last cursor. */
  async settle(timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await withDeadline(
      Promise.all(this.consoles.map((c) => c.drained())),
      timeoutMs,
      () => `outboxes not drained: ${this.consoles.map((c) => `${c.matchId} pending ${c.pending}`).join(', ')}`,
    );
    const target = new Map<string, number>();
    for (const id of this.matchIds) {
      const events = await storedEvents(this.pool, id);
      target.set(id, events.length ? events[events.length - 1]!.cursor : 0);
    }
    try {
      for (const v of this.viewers) await v.waitForCursors(target, Math.max(1_000, deadline - Date.now()));
    } catch (error) {
      const logs = this.servers.map(
        (s) =>
          `server ${s.port}:\n${s.logs
            .filter((l) => /"level":(40|50|60)/.test(l))
            .slice(-12)
            .join('\n')}`,
      );
      throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
    }
  }

  async verify(): Promise<CheckReport> {
    await this.settle();
    const consoles: ConsoleSource[] = [
      ...this.consoles.map((c, i) => consoleSource(`console-${i + 1}`, c, 'writer')),
      ...this.refusedConsoles.map((c, i) => consoleSource(`refused-${i + 1}`, c, 'refused')),
    ];
    const report = await checkConsistency({
      pool: this.pool,
      matchIds: this.matchIds,
      consoles,
      viewers: this.viewers,
    });
    for (const c of this.consoles) for (const a of c.anomalies) report.problems.push(`console ${c.matchId}: ${a}`);
    for (const s of this.servers)
      for (const e of s.unexpectedExits) report.problems.push(`server ${s.port} died: ${e}`);
    return report;
  }

  async close(): Promise<void> {
    for (const c of [...this.consoles, ...this.refusedConsoles]) c.close();
    for (const v of this.viewers) v.close();
    await this.consoleProxy?.close();
    await this.viewerProxy?.close();
    await Promise.all(this.servers.map((s) => s.kill9()));
    await this.pool?.end().catch(() => {});
  }
}

export function consoleSource(name: string, c: RawConsole, role: ConsoleSource['role']): ConsoleSource {
  return { name, consoleId: c.consoleId, matchId: c.matchId, events: c.log, ackedSeq: c.ackedSeq, role };
}

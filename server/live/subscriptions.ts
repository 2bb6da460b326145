/**
 * Delivery of committed batches to this process's /live sockets. Each socket has its
 * own serial task queue, so subscribe, catch-up and live updates never interleave:
 * a socket gets every event once, in cursor order, with baseCursor = the cursor of the
 * previous update it got for that match. A gap (a batch from another process that
 * arrived late, a socket that subscribed mid-stream) is filled from PostgreSQL.
 */
import type { Socket } from 'socket.io';
import type { MatchSnapshot } from '../../shared/match.js';
import type {
  ConsolePresence,
  Freshness,
  LiveClientToServer,
  LiveServerToClient,
  MatchUpdate,
} from '../../shared/protocol.js';
import type { CommittedMatch } from '../ingest/flush.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { CatchUpResult } from './catch-up.js';
import { bufferedBytes, viewerBackedUp } from '../security/backpressure.js';

/** Catch-up pauses between pages while this many packets wait for the socket (flow control, not a limit). */
const CATCH_UP_PAUSE_PACKETS = 8;
/** ... or while this many bytes wait in the WebSocket (a few pages): a reader keeps up, memory stays small. */
const CATCH_UP_PAUSE_BYTES = 1024 * 1024;
const CATCH_UP_POLL_MS = 20;
/** Tasks queued for one socket (e.g. while PostgreSQL is slow) before it is dropped: bounded memory. */
const LIVE_QUEUE_LIMIT = 5_000;

export type LiveSocket = Socket<LiveClientToServer, LiveServerToClient>;

interface MatchSub {
  lastCursor: number;
  lastSeq: number;
}

export interface LiveLimits {
  /** Packets waiting in a socket's engine.io write buffer before we call it a viewer that does not read. */
  writeBufferLimit: number;
  /** How long a catching-up viewer may take to accept a page. */
  drainTimeoutMs: number;
}

interface EngineConn {
  writeBuffer: unknown[];
}

export interface LiveSources {
  readCatchUp(matchId: string, afterCursor: number): Promise<CatchUpResult | null>;
  freshness(matchId: string, writerConsoleId?: string | null): Promise<Freshness>;
  consoleOnline(consoleId: string | null): boolean;
}

export class LiveClient {
  readonly subs = new Map<string, MatchSub>();
  /** Courts followed: null none, 'all' every court. */
  courts: Set<string> | 'all' | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Subscribe tasks queued or running: until they finish, every batch may concern this socket. */
  private subscribing = 0;
  private dropped = false;

  constructor(
    readonly socket: LiveSocket,
    private readonly sources: LiveSources,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly limits: LiveLimits,
  ) {}

  private get conn(): EngineConn {
    return this.socket.conn as unknown as EngineConn;
  }

  /** Resolves true once the socket took what is queued, false if it does not read in time. */
  private async writable(): Promise<boolean> {
    const deadline = Date.now() + this.limits.drainTimeoutMs;
    // Polled: the bytes held by the WebSocket shrink without an engine.io event.
    while (
      this.conn.writeBuffer.length > CATCH_UP_PAUSE_PACKETS ||
      bufferedBytes(this.socket.conn) > CATCH_UP_PAUSE_BYTES
    ) {
      if (this.dropped || !this.socket.connected || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
    return true;
  }

  /** Runs `task` after every earlier task of this socket. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (++this.queued > LIVE_QUEUE_LIMIT) this.drop('queue');
    const result = this.queue.then(task);
    this.queue = result.then(
      () => void this.queued--,
      (error: Error) => {
        this.queued--;
        this.logger.warn({ err: error.message, socket: this.socket.id }, 'live: task failed');
      },
    );
    return result;
  }

  /**
   * Whether a committed batch for this match can concern this socket. Fan-out asks this
   * before queuing a task, so a batch costs a task only per interested socket, not per
   * socket times matches (thousands of viewers each following one court).
   */
  interested(matchId: string, court: string): boolean {
    return this.subscribing > 0 || this.subs.has(matchId) || this.follows(court);
  }

  /** Runs a subscribe task; while it waits or runs, every batch is queued behind it (see interested). */
  runSubscribe<T>(task: () => Promise<T> | T): Promise<T> {
    this.subscribing++;
    const result = this.run(task);
    const done = () => void this.subscribing--;
    result.then(done, done);
    return result;
  }

  follows(court: string): boolean {
    return this.courts === 'all' || (this.courts !== null && this.courts.has(court));
  }

  /** Called inside a task: register a match at a known position. */
  track(matchId: string, lastCursor: number, lastSeq: number): void {
    this.subs.set(matchId, { lastCursor, lastSeq });
  }

  async deliver(match: CommittedMatch, afterCatchUp = false): Promise<void> {
    let sub = this.subs.get(match.matchId);
    if (!sub) {
      if (!this.follows(match.court)) return;
      // A match new to a followed court: announce it, then deliver from its start.
      this.socket.emit('COURT_UPDATE', { court: match.court, snapshot: match.snapshot });
      sub = { lastCursor: 0, lastSeq: 0 };
      this.subs.set(match.matchId, sub);
    }
    const events = match.events.filter((e) => e.seq > sub.lastSeq);
    if (events.length === 0) return;
    if (events[0]!.seq !== sub.lastSeq + 1) {
      if (afterCatchUp) {
        this.logger.warn({ matchId: match.matchId, socket: this.socket.id }, 'live: gap persists after catch-up');
        return;
      }
      await this.catchUp(match.matchId);
      return this.deliver(match, true);
    }
    const freshness: Freshness = {
      lastEventAt: match.lastEventAt,
      lastStoredAt: match.storedAt,
      consoleOnline: this.sources.consoleOnline(match.writerConsoleId),
    };
    this.send({
      matchId: match.matchId,
      baseCursor: sub.lastCursor,
      cursor: match.snapshot.cursor,
      events,
      snapshot: match.snapshot,
      freshness,
    });
  }

  /** Pages every stored event after the socket's position for this match. */
  async catchUp(matchId: string): Promise<void> {
    const sub = this.subs.get(matchId);
    if (!sub) return;
    const result = await this.sources.readCatchUp(matchId, sub.lastCursor);
    if (!result) return;
    if (sub.lastSeq < 0) sub.lastSeq = result.baseSeq;
    if (result.pages.length === 0) return;
    const freshness = await this.sources.freshness(matchId);
    for (const page of result.pages) {
      if (this.dropped) return;
      const events = page.events.filter((e) => e.seq > sub.lastSeq);
      if (!events.length) continue;
      if (!(await this.writable())) return this.drop('catch-up not read');
      this.send({
        matchId,
        baseCursor: sub.lastCursor,
        cursor: page.snapshot.cursor,
        events,
        snapshot: page.snapshot,
        freshness,
      });
    }
  }

  private send(update: MatchUpdate): void {
    if (this.dropped) return;
    if (this.conn.writeBuffer.length > this.limits.writeBufferLimit) return this.drop('write buffer');
    // Packets can be big (a catch-up page): bound the bytes held too (server/security/backpressure.ts).
    if (viewerBackedUp(this.socket.conn)) return this.drop('write buffer bytes');
    this.socket.emit('MATCH_UPDATE', update);
    const sub = this.subs.get(update.matchId);
    const last = update.events[update.events.length - 1];
    if (sub && last) {
      sub.lastCursor = update.cursor;
      sub.lastSeq = last.seq;
    }
  }

  presence(presence: ConsolePresence): void {
    if (presence.court && this.follows(presence.court)) this.socket.emit('PRESENCE', presence);
    else if (this.courts === 'all') this.socket.emit('PRESENCE', presence);
  }

  /**
   * The console feeding a match connected or dropped. Called inside a task; sent only when
   * this socket is at exactly that snapshot, so it never jumps ahead of its MATCH_UPDATEs
   * (otherwise the next update carries fresh freshness, or the page's HTTP refresh does).
   */
  freshnessChanged(snapshot: MatchSnapshot, freshness: Freshness): void {
    const sub = this.subs.get(snapshot.id);
    if (this.dropped || !sub || sub.lastCursor !== snapshot.cursor) return;
    this.socket.emit('COURT_UPDATE', { court: snapshot.court, snapshot, freshness });
  }

  announce(snapshot: MatchSnapshot): void {
    if (!this.follows(snapshot.court) || this.subs.has(snapshot.id)) return;
    this.subs.set(snapshot.id, { lastCursor: snapshot.cursor, lastSeq: snapshot.seq });
    this.socket.emit('COURT_UPDATE', { court: snapshot.court, snapshot });
  }

  private drop(why: string): void {
    if (this.dropped) return;
    this.dropped = true;
    this.metrics.liveDropped.inc();
    this.logger.warn({ socket: this.socket.id, why }, 'live: dropping a viewer that does not read');
    this.socket.disconnect(true);
    // A graceful close would keep what is buffered for it until it reads: cut the connection.
    const ws = (this.socket.conn as unknown as { transport?: { socket?: { terminate?: () => void } } }).transport
      ?.socket;
    ws?.terminate?.();
  }
}

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
import { viewerBackedUp } from '../security/backpressure.js';

/** Packets waiting in a socket's engine.io write buffer before we call it a viewer that does not read. */
export const LIVE_WRITE_BUFFER_LIMIT = 1_000;
/** Tasks queued for one socket (e.g. while PostgreSQL is slow) before it is dropped: bounded memory. */
const LIVE_QUEUE_LIMIT = 5_000;

export type LiveSocket = Socket<LiveClientToServer, LiveServerToClient>;

interface MatchSub {
  lastCursor: number;
  lastSeq: number;
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
  private dropped = false;

  constructor(
    readonly socket: LiveSocket,
    private readonly sources: LiveSources,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

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
      const events = page.events.filter((e) => e.seq > sub.lastSeq);
      if (!events.length) continue;
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
    const buffered = (this.socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
    if (buffered > LIVE_WRITE_BUFFER_LIMIT) return this.drop('write buffer');
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
  }
}

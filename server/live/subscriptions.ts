/**
 * One /live socket's subscriptions. Live updates reach it through Socket.io rooms
 * (broadcaster.ts); this module only brings it to where a match is on air and then
 * joins it, so it gets every event once, in cursor order, with baseCursor = the cursor
 * of the previous update it got for that match. Subscribe commands of one socket run
 * one at a time (a serial queue), so a catch-up never interleaves with another command.
 */
import type { Socket } from 'socket.io';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  type Fail,
  type LiveClientToServer,
  type LiveServerToClient,
  type MatchUpdate,
  type SubscribeAck,
  type SubscribeCourtsAck,
} from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { OnAirRow } from '../store/matches.js';
import { bufferedBytes, viewerBackedUp } from '../security/backpressure.js';
import { ALL_COURTS_ROOM, courtRoom, matchRoom, type Broadcaster, type OnAirMatch } from './broadcaster.js';
import type { CatchUpPage } from './catch-up.js';

/** Catch-up pauses between pages while this many packets wait for the socket (flow control, not a limit). */
const CATCH_UP_PAUSE_PACKETS = 8;
/** ... or while this many bytes wait in the WebSocket (a few pages): a reader keeps up, memory stays small. */
const CATCH_UP_PAUSE_BYTES = 1024 * 1024;
const CATCH_UP_POLL_MS = 20;
/** Commands queued for one socket (e.g. while PostgreSQL is slow) before it is dropped: bounded memory. */
const LIVE_QUEUE_LIMIT = 1_000;
/**
 * A `since` ahead of where the match is on air here (the viewer came from a process that
 * got the batch first): wait this long for it to arrive before joining where we are.
 */
const AHEAD_WAIT_MS = 2_000;
/** Catch-up rounds before giving up (each round is one read; a match moves on at most once per window). */
const MAX_CATCH_UP_ROUNDS = 50;

export type LiveSocket = Socket<LiveClientToServer, LiveServerToClient>;

export interface LiveLimits {
  /** Packets waiting in a socket's engine.io write buffer before we call it a viewer that does not read. */
  writeBufferLimit: number;
  /** How long a catching-up viewer may take to accept a page. */
  drainTimeoutMs: number;
}

export interface LiveSources {
  /** Pages of (after, upTo] of a match, the last one with `snapshotAtUpTo`. */
  readCatchUp(matchId: string, after: number, upTo: number, snapshotAtUpTo: MatchSnapshot): Promise<CatchUpPage[]>;
  listOnAir(courts: string[] | null): Promise<OnAirRow[]>;
}

interface EngineConn {
  writeBuffer: unknown[];
}

/** What a socket follows as a court follower: which courts, and how updates reach it. */
type CourtFollow =
  | { kind: 'none' }
  | { kind: 'rooms'; courts: Set<string> | 'all' }
  | { kind: 'frames'; courts: Set<string> | 'all'; room: string };

const unavailable: Fail = { ok: false, code: 'UNAVAILABLE', message: 'storage unreachable; retry later' };

export class LiveClient {
  private follow: CourtFollow = { kind: 'none' };
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private dropped = false;

  constructor(
    readonly socket: LiveSocket,
    private readonly broadcaster: Broadcaster,
    private readonly sources: LiveSources,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly limits: LiveLimits,
  ) {}

  private get conn(): EngineConn {
    return this.socket.conn as unknown as EngineConn;
  }

  /** Runs `task` after every earlier command of this socket. */
  run(task: () => Promise<void> | void): void {
    if (++this.queued > LIVE_QUEUE_LIMIT) return this.drop('queue');
    this.queue = this.queue
      .then(task)
      .catch((error: Error) => this.logger.warn({ err: error.message, socket: this.socket.id }, 'live: task failed'))
      .finally(() => void this.queued--);
  }

  async subscribeMatch(matchId: string, since: number | undefined, ack: (res: SubscribeAck) => void): Promise<void> {
    let match: OnAirMatch | null;
    try {
      match = await this.broadcaster.onAir(matchId);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'live: subscribe failed');
      return ack(unavailable);
    }
    if (!match) return ack({ ok: false, code: 'UNKNOWN_MATCH', message: `no match ${matchId}` });
    void this.socket.leave(matchRoom(matchId));
    // No await from here to the join (without since): the socket is exactly where the room is.
    ack({ ok: true, snapshot: match.snapshot!, freshness: this.broadcaster.freshness(match) });
    if (since === undefined) return void this.socket.join(matchRoom(matchId));
    try {
      await this.catchUpAndJoin(match, since);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, matchId }, 'live: catch-up failed; viewer dropped to retry');
      this.drop('catch-up failed');
    }
  }

  /** Sends the stored events after `since` up to where the match is on air, then joins its room. */
  private async catchUpAndJoin(match: OnAirMatch, since: number): Promise<void> {
    let position = since;
    for (let round = 0; round < MAX_CATCH_UP_ROUNDS && !this.dropped; round++) {
      const target = match.cursor;
      if (position === target) break;
      if (position > target) {
        // Ahead of this process: wait for that batch to go on air here (bounded), then continue.
        const arrived = await Promise.race([
          match.nextSend().then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), AHEAD_WAIT_MS)),
        ]);
        if (!arrived) break;
        continue;
      }
      const pages = await this.sources.readCatchUp(match.matchId, position, target, match.snapshot!);
      if (pages.length === 0) {
        position = target;
        continue;
      }
      for (const page of pages) {
        if (!(await this.writable())) return this.drop('catch-up not read');
        const last = page.events[page.events.length - 1]!;
        this.sendUpdate({
          matchId: match.matchId,
          baseCursor: position,
          cursor: last.cursor,
          events: page.events,
          snapshot: page.snapshot,
          freshness: this.broadcaster.freshness(match),
        });
        position = last.cursor;
      }
    }
    if (!this.dropped) void this.socket.join(matchRoom(match.matchId));
  }

  async subscribeCourts(
    courts: string[] | undefined,
    frames: boolean,
    ack: (res: SubscribeCourtsAck) => void,
  ): Promise<void> {
    let rows: OnAirRow[];
    try {
      rows = await this.sources.listOnAir(courts ?? null);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'live: court subscribe failed');
      return ack(unavailable);
    }
    const listed = rows.map((row) => this.broadcaster.track(row));
    for (const match of listed) {
      await match.chain;
      while (!match.snapshot) await match.nextSend();
    }
    // No await from here on: the socket joins exactly where the rooms are.
    const followed = this.followedWith(courts);
    const inCall = courts ? new Set(courts) : 'all';
    const matches = new Set([...listed, ...this.broadcaster.onCourts(inCall)]);
    this.leaveCourts();
    if (frames) {
      const group = this.broadcaster.frameGroup(followed);
      this.follow = { kind: 'frames', courts: followed, room: group.room };
      void this.socket.join(group.room);
      // A frame socket changes group: it restarts from the positions of every followed match.
      const all = new Set([...matches, ...this.broadcaster.onCourts(followed)]);
      return ack({ ok: true, snapshots: [...all].map((m) => group.positionOf(m)) });
    }
    this.follow = { kind: 'rooms', courts: followed };
    void this.socket.join(followed === 'all' ? [ALL_COURTS_ROOM] : [...followed].map(courtRoom));
    ack({ ok: true, snapshots: [...matches].map((m) => m.snapshot!) });
  }

  /** Courts followed after this call: they add up, and `all` stays all. */
  private followedWith(courts: string[] | undefined): Set<string> | 'all' {
    if (!courts || (this.follow.kind !== 'none' && this.follow.courts === 'all')) return 'all';
    const set = new Set(this.follow.kind === 'none' ? [] : [...(this.follow.courts as Set<string>)]);
    for (const c of courts) set.add(c);
    return set;
  }

  private leaveCourts(): void {
    switch (this.follow.kind) {
      case 'none':
        return;
      case 'frames':
        void this.socket.leave(this.follow.room);
        return;
      case 'rooms':
        if (this.follow.courts === 'all') void this.socket.leave(ALL_COURTS_ROOM);
        else for (const c of this.follow.courts) void this.socket.leave(courtRoom(c));
        return;
    }
  }

  unsubscribeMatch(matchId: string): void {
    void this.socket.leave(matchRoom(matchId));
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

  private sendUpdate(update: MatchUpdate): void {
    if (this.dropped) return;
    if (this.backedUp()) return this.drop('write buffer');
    this.socket.emit('MATCH_UPDATE', update);
  }

  /** Holding more than its limits on the server (packets or bytes): a viewer that does not read. */
  backedUp(): boolean {
    return this.conn.writeBuffer.length > this.limits.writeBufferLimit || viewerBackedUp(this.socket.conn);
  }

  drop(why: string): void {
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

/**
 * A /live viewer that records every MATCH_UPDATE and checks the feed as it arrives:
 * cursors strictly increasing, each update's baseCursor equal to the cursor it last
 * saw for that match, no event twice. After any disconnect it subscribes again with
 * `since` = the last cursor it saw, like a broadcast graphics client. With `courts` it
 * follows courts instead (SUBSCRIBE_COURTS, like the court wall), optionally asking for
 * one MATCH_UPDATES frame per window (`frames`); each update in a frame is checked the same way.
 */
import { io, type Socket } from 'socket.io-client';
import type { StoredEvent } from '../../../shared/events.js';
import type { MatchSnapshot } from '../../../shared/match.js';
import {
  PROTOCOL_VERSION,
  type LiveClientToServer,
  type LiveServerToClient,
  type MatchUpdate,
  type SubscribeAck,
  type SubscribeCourtsAck,
} from '../../../shared/protocol.js';

const SUBSCRIBE_TIMEOUT_MS = 5_000;

export interface ViewerMatchRecord {
  lastCursor: number;
  events: StoredEvent[];
  updates: number;
  lastSnapshot: MatchSnapshot | null;
}

export interface RecordingViewerOptions {
  url: string;
  token: string;
  matchIds: string[];
  name?: string;
  /** Called for every event received (load latency). */
  onEvent?: (event: StoredEvent, receivedAt: number) => void;
  /** Check cursors and baseCursor chaining (off for the bench's reference server, which has none). */
  contract?: boolean;
  /** Keep events (the checker needs them; the load bench with thousands of viewers may not). */
  keepEvents?: boolean;
  /**
   * Follow these courts (SUBSCRIBE_COURTS) instead of subscribing to `matchIds` one by one;
   * the matches the server reports for them are recorded (a court follower has no `since`:
   * it starts from each snapshot's cursor).
   */
  courts?: string[];
  /** With `courts`: ask for one MATCH_UPDATES frame per window (protocol 1.1). */
  frames?: boolean;
}

export class RecordingViewer {
  readonly name: string;
  readonly matches = new Map<string, ViewerMatchRecord>();
  /** Contract violations seen on the wire, in order. */
  readonly violations: string[] = [];
  readonly socket: Socket<LiveServerToClient, LiveClientToServer>;
  connects = 0;
  /** Subscriptions the server acknowledged with ok (SUBSCRIBE_MATCH or SUBSCRIBE_COURTS), reconnects included. */
  subscribed = 0;
  /** Connection history (for failure messages). */
  readonly history: string[] = [];
  private closed = false;
  private readonly seenCursors = new Set<number>();

  constructor(private readonly options: RecordingViewerOptions) {
    this.name = options.name ?? 'viewer';
    for (const id of options.matchIds)
      this.matches.set(id, { lastCursor: 0, events: [], updates: 0, lastSnapshot: null });
    this.socket = io(`${options.url}/live`, {
      auth: { token: options.token, protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on('connect', () => {
      this.connects++;
      if (options.courts) void this.subscribeCourts(options.courts);
      else for (const id of this.matches.keys()) void this.subscribe(id);
    });
    this.socket.on('MATCH_UPDATE', (update) => this.onUpdate(update));
    this.socket.on('MATCH_UPDATES', (frame) => {
      for (const update of frame.updates) this.onUpdate(update);
    });
    this.socket.on('disconnect', (reason) => {
      this.history.push(`${new Date().toISOString()} disconnect ${reason}`);
      // The server ended the session (dropped as a slow reader, token expiry): a graphics
      // client comes back and resumes by cursor; socket.io does not reconnect by itself then.
      if (reason === 'io server disconnect' && !this.closed) setTimeout(() => this.socket.connect(), 200);
    });
    this.socket.on('connect_error', (error) =>
      this.history.push(`${new Date().toISOString()} connect_error ${error.message}`),
    );
    this.socket.on('connect', () => this.history.push(`${new Date().toISOString()} connect`));
  }

  /** Resolves once every match has reached at least the given cursor. */
  async waitForCursors(target: Map<string, number>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = [...target].filter(([id, cursor]) => (this.matches.get(id)?.lastCursor ?? 0) < cursor);
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        const detail = behind.map(([id, c]) => `${id}: ${this.matches.get(id)?.lastCursor} < ${c}`).join(', ');
        throw new Error(
          `${this.name} did not catch up in ${timeoutMs} ms (${detail}); connected ${this.socket.connected}, ` +
            `history: ${this.history.slice(-16).join('; ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private async subscribe(matchId: string): Promise<void> {
    const record = this.matches.get(matchId)!;
    const since = record.lastCursor;
    let ack: SubscribeAck;
    try {
      ack = (await this.socket
        .timeout(SUBSCRIBE_TIMEOUT_MS)
        .emitWithAck('SUBSCRIBE_MATCH', { matchId, since })) as SubscribeAck;
    } catch (error) {
      this.history.push(`${new Date().toISOString()} subscribe ${matchId} since ${since}: ${(error as Error).message}`);
      return; // disconnected meanwhile: the next connect subscribes again
    }
    this.history.push(`${new Date().toISOString()} subscribe ${matchId} since ${since}: ${ack.ok ? 'ok' : ack.code}`);
    if (!ack.ok) this.violations.push(`${this.name}: SUBSCRIBE_MATCH ${matchId} refused: ${ack.code} ${ack.message}`);
    else this.subscribed++;
  }

  private async subscribeCourts(courts: string[]): Promise<void> {
    let ack: SubscribeCourtsAck;
    try {
      ack = (await this.socket.timeout(SUBSCRIBE_TIMEOUT_MS).emitWithAck('SUBSCRIBE_COURTS', {
        courts,
        ...(this.options.frames ? { frames: true } : {}),
      })) as SubscribeCourtsAck;
    } catch (error) {
      this.history.push(`${new Date().toISOString()} subscribe courts: ${(error as Error).message}`);
      return;
    }
    this.history.push(`${new Date().toISOString()} subscribe ${courts.length} courts: ${ack.ok ? 'ok' : ack.code}`);
    if (!ack.ok) {
      this.violations.push(`${this.name}: SUBSCRIBE_COURTS refused: ${ack.code} ${ack.message}`);
      return;
    }
    for (const snapshot of ack.snapshots) {
      const record = this.matches.get(snapshot.id);
      if (!record)
        this.matches.set(snapshot.id, { lastCursor: snapshot.cursor, events: [], updates: 0, lastSnapshot: snapshot });
      else if (record.updates === 0) record.lastCursor = Math.max(record.lastCursor, snapshot.cursor);
    }
    this.subscribed++;
  }

  private onUpdate(update: MatchUpdate): void {
    const now = Date.now();
    const record = this.matches.get(update.matchId);
    if (!record) {
      this.violations.push(`${this.name}: update for unsubscribed match ${update.matchId}`);
      return;
    }
    if (this.options.contract === false) {
      for (const event of update.events) this.options.onEvent?.(event, now);
      record.updates++;
      return;
    }
    const where = `${this.name} ${update.matchId} update ${update.baseCursor}->${update.cursor}`;
    if (update.baseCursor !== record.lastCursor)
      this.violations.push(`${where}: baseCursor ${update.baseCursor} != last cursor ${record.lastCursor}`);
    if (update.cursor <= record.lastCursor && update.events.length > 0)
      this.violations.push(`${where}: cursor not increasing (last ${record.lastCursor})`);
    let previous = record.lastCursor;
    for (const event of update.events) {
      if (event.cursor <= previous) this.violations.push(`${where}: event cursor ${event.cursor} after ${previous}`);
      if (event.cursor > update.cursor) this.violations.push(`${where}: event cursor ${event.cursor} > update cursor`);
      previous = event.cursor;
      // The duplicate check spans matches (cursors are one sequence). Only where events are
      // kept: the load bench's viewers would grow this set by every event of a run, and within
      // a match the increasing check above already catches a duplicate.
      if (this.options.keepEvents !== false) {
        if (this.seenCursors.has(event.cursor)) this.violations.push(`${where}: event cursor ${event.cursor} twice`);
        this.seenCursors.add(event.cursor);
        record.events.push(event);
      }
      this.options.onEvent?.(event, now);
    }
    record.lastCursor = Math.max(record.lastCursor, update.cursor);
    record.updates++;
    record.lastSnapshot = update.snapshot;
  }
}

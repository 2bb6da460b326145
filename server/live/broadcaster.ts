/**
 * What this process puts on air, and when. Every committed batch (from this process or,
 * through the bus, from another) reaches `committed`; each match is broadcast at most
 * once per window: a match with no update in the last window goes out right after its
 * commit, later commits in that window are coalesced and go out when it ends.
 *
 * One encoding per update: an update is emitted once to Socket.io rooms (the match's,
 * its court's, all courts'), and the adapter writes the same packet to every member.
 * The invariant that keeps this gapless: every member of a match's rooms is exactly at
 * `OnAirMatch.cursor`, the cursor of the last update sent. Joiners are brought there
 * first (subscriptions.ts), and batches are trimmed to what is new here (a late or
 * repeated batch adds nothing; a batch after a gap is preceded by the missed events,
 * read from PostgreSQL).
 *
 * Court followers that ask for frames get one MATCH_UPDATES per window in a frame group
 * (one room per distinct set of courts): all its updates, whatever the number of courts.
 */
import { performance } from 'node:perf_hooks';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { Freshness, MatchUpdate, MatchUpdatesFrame } from '../../shared/protocol.js';
import type { CommittedMatch } from '../ingest/flush.js';
import type { OnAirRow } from '../store/matches.js';
import type { Logger } from '../logger.js';
import { verifiedOf, type Verification, type VerificationAlert } from '../../shared/verification.js';

export const matchRoom = (matchId: string) => `match:${matchId}`;
export const courtRoom = (court: string) => `court:${court}`;
export const ALL_COURTS_ROOM = 'courts:all';
const frameRoom = (key: string) => `frames:${key}`;

/**
 * Longest run of on-air writes before the event loop gets to I/O again. Window timers
 * of matches scored at the same pace fall due together (timers of one millisecond run
 * back to back): 100 courts with 10 viewers each is ~1,000 socket writes (~25 ms) that
 * would otherwise hold up every push, ack and PostgreSQL answer behind them. 4 ms keeps
 * a push's wait behind broadcasting to a few ms while a slice still carries ~150 writes.
 */
export const ON_AIR_SLICE_MS = 4;

export interface OnAirSources {
  /** Stored events of a match with afterCursor < cursor <= upToCursor, ascending. */
  readEvents(matchId: string, afterCursor: number, upToCursor: number): Promise<StoredEvent[]>;
  readOnAir(matchId: string): Promise<OnAirRow | null>;
  consoleOnline(consoleId: string | null): boolean;
}

/** Where on-air packets go: this process's /live rooms (nsp.local: every process serves its own sockets). */
export interface OnAirOutput {
  matchUpdate(rooms: string[], update: MatchUpdate): void;
  frame(room: string, frame: MatchUpdatesFrame): void;
  courtUpdate(rooms: string[], msg: { court: string; snapshot: MatchSnapshot; freshness: Freshness }): void;
  roomSize(room: string): number;
}

/** One match as this process has put it on air. */
export class OnAirMatch {
  /** Cursor of the last update sent: where every member of the match's rooms is. */
  cursor: number;
  /** Snapshot as of `cursor`; null only until the first update of a match first seen in a batch whose snapshot could not be read. */
  snapshot: MatchSnapshot | null;
  /** Cursor of the last event taken (sent or pending). */
  highest: number;
  pending: MatchUpdate | null = null;
  lastSentAt = -Infinity;
  timer: NodeJS.Timeout | null = null;
  /** Due and waiting in the send queue (its window has passed). */
  queued = false;
  /** Batches of this match are taken one at a time (a gap fill awaits PostgreSQL). */
  chain: Promise<void> = Promise.resolve();
  writerConsoleId: string | null = null;
  lastEventAt: string | null = null;
  lastStoredAt: string | null = null;
  /** The verify stream's verification and court wall alert (null: none), merged into every snapshot sent. */
  verification: Verification | null = null;
  verificationAlert: VerificationAlert | null = null;
  private sent: (() => void)[] = [];

  constructor(
    readonly matchId: string,
    public court: string,
    snapshot: MatchSnapshot | null,
    cursor: number,
  ) {
    this.snapshot = snapshot;
    this.cursor = cursor;
    this.highest = cursor;
  }

  get rooms(): string[] {
    return [matchRoom(this.matchId), courtRoom(this.court), ALL_COURTS_ROOM];
  }

  /** Resolves after the next update of this match goes out. */
  nextSend(): Promise<void> {
    return new Promise((resolve) => this.sent.push(resolve));
  }

  markSent(update: MatchUpdate): void {
    this.cursor = update.cursor;
    this.snapshot = update.snapshot;
    this.lastSentAt = performance.now();
    const waiting = this.sent;
    this.sent = [];
    for (const resolve of waiting) resolve();
  }
}

function merge(a: MatchUpdate, b: MatchUpdate): MatchUpdate {
  return { ...b, baseCursor: a.baseCursor, events: [...a.events, ...b.events] };
}

/** Followers of one set of courts (or all) that asked for frames: one frame per window for all of them. */
class FrameGroup {
  readonly room: string;
  /** Per match: the update not yet sent in a frame, and the snapshot the members are at for it. */
  readonly pending = new Map<string, { update: MatchUpdate; base: MatchSnapshot | null }>();
  lastSentAt = -Infinity;
  timer: NodeJS.Timeout | null = null;

  constructor(
    key: string,
    readonly courts: ReadonlySet<string> | 'all',
  ) {
    this.room = frameRoom(key);
  }

  covers(court: string): boolean {
    return this.courts === 'all' || this.courts.has(court);
  }
}

export interface BroadcasterOptions {
  /** The broadcast window: at most one update per match (and one frame per group) per window. */
  windowMs: number;
  sources: OnAirSources;
  logger: Logger;
}

export class Broadcaster {
  private readonly matches = new Map<string, OnAirMatch>();
  private readonly groups = new Map<string, FrameGroup>();
  private readonly listeners = new Set<(update: MatchUpdate) => void>();
  private readonly verificationListeners = new Set<(snapshot: MatchSnapshot, freshness: Freshness) => void>();
  private output: OnAirOutput | null = null;
  private stopped = false;
  /** Matches whose window has passed, sent in slices of ON_AIR_SLICE_MS (due order). */
  private due: OnAirMatch[] = [];
  private dueHead = 0;
  private sliceOpen = false;
  private sliceStartedAt = 0;

  constructor(private readonly opts: BroadcasterOptions) {}

  /** The /live rooms exist only once Socket.io does. */
  attach(output: OnAirOutput): void {
    this.output = output;
  }

  /** Every update as it goes on air (SSE streams, feeds). */
  onUpdate(listener: (update: MatchUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  freshness(match: OnAirMatch): Freshness {
    return {
      lastEventAt: match.lastEventAt,
      lastStoredAt: match.lastStoredAt,
      consoleOnline: this.opts.sources.consoleOnline(match.writerConsoleId),
      // Contract 1.1: null while the match has no verify stream.
      verified: verifiedOf(match.verification),
    };
  }

  /** A committed batch of one match. */
  committed(batch: CommittedMatch): void {
    let match = this.matches.get(batch.matchId);
    const isNew = !match;
    if (!match) {
      match = new OnAirMatch(batch.matchId, batch.court, null, batch.previousCursor);
      this.matches.set(batch.matchId, match);
    }
    const target = match;
    target.chain = target.chain
      .then(() => (isNew ? this.firstSeen(target) : undefined))
      .then(() => this.take(target, batch))
      .catch((error: Error) => this.opts.logger.warn({ err: error.message, matchId: batch.matchId }, 'on air: batch'));
  }

  /**
   * A match first seen in a batch: its position here is what PostgreSQL holds now
   * (this batch included or later), announced to court followers like a new match.
   */
  private async firstSeen(match: OnAirMatch): Promise<void> {
    const row = await this.opts.sources.readOnAir(match.matchId).catch(() => null);
    if (!row) return; // unreadable: the batch goes out from its previousCursor
    match.snapshot = row.snapshot;
    match.verification = row.snapshot.verification ?? null;
    match.verificationAlert = row.snapshot.verificationAlert ?? null;
    match.cursor = row.snapshot.cursor;
    match.highest = row.snapshot.cursor;
    this.announce(match);
  }

  private async take(match: OnAirMatch, batch: CommittedMatch): Promise<void> {
    match.court = batch.court;
    match.writerConsoleId = batch.writerConsoleId;
    match.lastEventAt = batch.lastEventAt;
    match.lastStoredAt = batch.storedAt;
    let events = batch.events.filter((e) => e.cursor > match.highest);
    if (events.length === 0) return; // a late or repeated batch: already on air
    /** Where this update starts: after what is pending, or where the rooms are (read after any await). */
    let gapBase: number | null = null;
    if (batch.previousCursor > match.highest) {
      // Commits never seen here (another process's batch still on its way, or lost): read them.
      try {
        const missed = await this.opts.sources.readEvents(match.matchId, match.highest, batch.previousCursor);
        events = [...missed, ...events];
      } catch (error) {
        this.opts.logger.warn({ err: (error as Error).message, matchId: match.matchId }, 'on air: gap not filled');
        // Send what is pending, then this batch with its true base: the gap stays visible to clients.
        this.send(match);
        gapBase = batch.previousCursor;
      }
    }
    const update: MatchUpdate = {
      matchId: match.matchId,
      baseCursor: gapBase ?? match.pending?.baseCursor ?? match.cursor,
      cursor: batch.snapshot.cursor,
      events,
      snapshot: this.withVerification(match, batch.snapshot),
      freshness: this.freshness(match),
    };
    match.pending = match.pending ? merge(match.pending, update) : update;
    match.highest = batch.snapshot.cursor;
    this.schedule(match);
  }

  /** A fold's snapshot with the match's verification (none: as it is, as PostgreSQL reads give it). */
  private withVerification(match: OnAirMatch, snapshot: MatchSnapshot): MatchSnapshot {
    if (!match.verification) return snapshot;
    return { ...snapshot, verification: match.verification, verificationAlert: match.verificationAlert };
  }

  private schedule(match: OnAirMatch): void {
    if (match.timer || match.queued || this.stopped) return;
    const wait = match.lastSentAt + this.opts.windowMs - performance.now();
    if (wait <= 0) this.enqueue(match);
    else
      match.timer = setTimeout(() => {
        match.timer = null;
        this.enqueue(match);
      }, wait);
  }

  /** Due now: sent at once unless this turn's slice is used up, then after the I/O waiting (see ON_AIR_SLICE_MS). */
  private enqueue(match: OnAirMatch): void {
    match.queued = true;
    this.due.push(match);
    this.drain();
  }

  /**
   * Sends due matches until the slice of this turn is used up. A slice opens with the
   * first send of a turn and closes in the check phase, after the poll phase has run the
   * I/O that was waiting; the rest of the queue goes out then.
   */
  private drain(): void {
    while (this.dueHead < this.due.length) {
      if (!this.sliceOpen) {
        this.sliceOpen = true;
        this.sliceStartedAt = performance.now();
        setImmediate(() => {
          this.sliceOpen = false;
          this.drain();
        });
      } else if (performance.now() - this.sliceStartedAt >= ON_AIR_SLICE_MS) return;
      const match = this.due[this.dueHead++]!;
      if (match.queued) this.send(match);
    }
    this.due = [];
    this.dueHead = 0;
  }

  private send(match: OnAirMatch): void {
    if (match.timer) clearTimeout(match.timer);
    match.timer = null;
    match.queued = false;
    const update = match.pending;
    if (!update) return;
    match.pending = null;
    update.freshness = this.freshness(match);
    const base = match.snapshot;
    match.markSent(update);
    this.output?.matchUpdate(match.rooms, update);
    for (const listener of this.listeners) listener(update);
    for (const group of this.groups.values()) if (group.covers(match.court)) this.addToFrame(group, update, base);
  }

  private addToFrame(group: FrameGroup, update: MatchUpdate, base: MatchSnapshot | null): void {
    const waiting = group.pending.get(update.matchId);
    group.pending.set(
      update.matchId,
      waiting ? { update: merge(waiting.update, update), base: waiting.base } : { update, base },
    );
    if (group.timer || this.stopped) return;
    const wait = group.lastSentAt + this.opts.windowMs - performance.now();
    if (wait <= 0) this.sendFrame(group);
    else group.timer = setTimeout(() => this.sendFrame(group), wait);
  }

  private sendFrame(group: FrameGroup): void {
    group.timer = null;
    const updates = [...group.pending.values()].map((p) => p.update).sort((a, b) => a.cursor - b.cursor);
    group.pending.clear();
    group.lastSentAt = performance.now();
    if (updates.length) this.output?.frame(group.room, { updates });
    if (!this.output || this.output.roomSize(group.room) === 0) this.deleteGroup(group);
  }

  private deleteGroup(group: FrameGroup): void {
    for (const [key, g] of this.groups) if (g === group) this.groups.delete(key);
  }

  // ---- joining -----------------------------------------------------------

  /** The match as on air here, created from PostgreSQL when new; null when it does not exist. */
  async onAir(matchId: string): Promise<OnAirMatch | null> {
    let match = this.matches.get(matchId);
    if (!match) {
      const row = await this.opts.sources.readOnAir(matchId);
      if (!row) return null;
      match = this.track(row);
    }
    await match.chain;
    while (!match.snapshot) await match.nextSend();
    return match;
  }

  /** Known matches of these courts (or all), for court followers. */
  onCourts(courts: ReadonlySet<string> | 'all'): OnAirMatch[] {
    return [...this.matches.values()].filter((m) => courts === 'all' || courts.has(m.court));
  }

  /** A match as read from PostgreSQL: if not on air here yet, its position is that snapshot. */
  track(row: OnAirRow): OnAirMatch {
    const known = this.matches.get(row.snapshot.id);
    if (known) return known;
    const match = new OnAirMatch(row.snapshot.id, row.snapshot.court, row.snapshot, row.snapshot.cursor);
    match.lastEventAt = row.lastEventAt;
    match.lastStoredAt = row.lastStoredAt;
    match.writerConsoleId = row.writerConsoleId;
    match.verification = row.snapshot.verification ?? null;
    match.verificationAlert = row.snapshot.verificationAlert ?? null;
    this.matches.set(row.snapshot.id, match);
    return match;
  }

  /**
   * The frame group for these courts, and the snapshot each of its matches' members are
   * at (a match with an update waiting for the group's next frame: the one before it).
   */
  frameGroup(courts: ReadonlySet<string> | 'all'): { room: string; positionOf(match: OnAirMatch): MatchSnapshot } {
    const key = courts === 'all' ? '*' : [...courts].sort().join('\u0000');
    let group = this.groups.get(key);
    if (!group) {
      group = new FrameGroup(key, courts);
      this.groups.set(key, group);
    }
    const g = group;
    return {
      room: g.room,
      positionOf: (match) => g.pending.get(match.matchId)?.base ?? match.snapshot!,
    };
  }

  /** A new match (created here or on another process): court followers start following it. */
  created(snapshot: MatchSnapshot): void {
    if (this.matches.has(snapshot.id)) return;
    this.announce(this.track({ snapshot, lastEventAt: null, lastStoredAt: null, writerConsoleId: null }));
  }

  private announce(match: OnAirMatch): void {
    if (!match.snapshot) return;
    const msg = { court: match.court, snapshot: match.snapshot, freshness: this.freshness(match) };
    this.output?.courtUpdate([courtRoom(match.court), ALL_COURTS_ROOM], msg);
    for (const group of this.groups.values())
      if (group.covers(match.court)) this.output?.courtUpdate([group.room], msg);
  }

  /**
   * The console feeding a match connected or dropped: a COURT_UPDATE with fresh freshness
   * at the position each room's members are at (never ahead of their MATCH_UPDATEs).
   */
  freshnessChanged(matchId: string): void {
    const match = this.matches.get(matchId);
    if (!match?.snapshot || !this.output) return;
    const freshness = this.freshness(match);
    this.output.courtUpdate(match.rooms, { court: match.court, snapshot: match.snapshot, freshness });
    for (const group of this.groups.values()) {
      if (!group.covers(match.court)) continue;
      const snapshot = group.pending.get(matchId)?.base ?? match.snapshot;
      this.output.courtUpdate([group.room], { court: match.court, snapshot, freshness });
    }
  }

  /**
   * The verify stream's verification or alert changed (contract 1.1): pushed at once as a
   * COURT_UPDATE at each room's position, and carried by every later MATCH_UPDATE.
   */
  verificationChanged(matchId: string, verification: Verification, alert: VerificationAlert | null): void {
    const match = this.matches.get(matchId);
    if (!match) return;
    match.verification = verification;
    match.verificationAlert = alert;
    if (match.snapshot) match.snapshot = this.withVerification(match, match.snapshot);
    if (match.pending) match.pending.snapshot = this.withVerification(match, match.pending.snapshot);
    for (const group of this.groups.values()) {
      const waiting = group.pending.get(matchId);
      if (waiting?.base) waiting.base = this.withVerification(match, waiting.base);
    }
    this.freshnessChanged(matchId);
    if (match.snapshot)
      for (const listener of this.verificationListeners) listener(match.snapshot, this.freshness(match));
  }

  /** Every verification change of a match on air here, with its snapshot and freshness (SSE streams). */
  onVerification(listener: (snapshot: MatchSnapshot, freshness: Freshness) => void): () => void {
    this.verificationListeners.add(listener);
    return () => this.verificationListeners.delete(listener);
  }

  /** The matches on air here whose writer is this console (its own connection coming or going changes their freshness). */
  writtenBy(consoleId: string): string[] {
    const ids: string[] = [];
    for (const match of this.matches.values()) if (match.writerConsoleId === consoleId) ids.push(match.matchId);
    return ids;
  }

  /**
   * A claim or handover moved the match to another console (or to none): its freshness
   * follows the new writer. `announce`: viewers are told at once when that flips
   * consoleOnline (a handover); a first claim by a push is told by the update it brings.
   */
  writerChanged(matchId: string, writerConsoleId: string | null, announce: boolean): void {
    const match = this.matches.get(matchId);
    if (!match || match.writerConsoleId === writerConsoleId) return;
    const before = this.freshness(match).consoleOnline;
    match.writerConsoleId = writerConsoleId;
    if (announce && this.freshness(match).consoleOnline !== before) this.freshnessChanged(matchId);
  }

  /** Shutdown: whatever is pending goes out now. */
  flush(): void {
    for (const match of this.matches.values()) this.send(match);
    for (const group of this.groups.values()) {
      if (group.timer) clearTimeout(group.timer);
      this.sendFrame(group);
    }
    this.stopped = true;
  }
}

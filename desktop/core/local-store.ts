/**
 * The console's durable state in SQLite: settings, matches, the event log, the outbox
 * cursor per match, set-aside events and the schedule cache. Every method that changes
 * more than one row runs in one transaction; callers update memory only after it returns.
 */
import { randomUUID } from 'node:crypto';
import type { MatchEvent } from '../../shared/events.js';
import type { MatchMeta, MatchSnapshot } from '../../shared/match.js';
import type { PushStream } from '../../shared/protocol.js';
import type { SqliteDatabase } from './db/database.js';
import { reconcileInTransaction, type ReconcileArgs, type ReconcileResult } from './reconcile.js';

/** An event of the local log: what was recorded plus where it came from. */
export type LocalEvent = MatchEvent & { epoch: number; consoleId: string; cursor: number | null };

export interface MatchRow {
  id: string;
  meta: MatchMeta;
  epoch: number;
  writable: boolean;
  fence: { code: string; reason: string } | null;
  localOnly: boolean;
  lastSeq: number;
  snapshot: MatchSnapshot | null;
  confirmedSeq: number;
  confirmedCursor: number;
  lastConfirmedAt: string | null;
  /** `verify`: this console scores the match as a verifying scorer (contract 1.1 verify stream). */
  stream: PushStream;
}

export interface SetAsideEvent {
  event: MatchEvent;
  epoch: number;
  reason: string;
  setAsideAt: string;
}

interface RawMatch {
  id: string;
  meta: string;
  epoch: number;
  writable: number;
  fence_code: string | null;
  fence_reason: string | null;
  local_only: number;
  last_seq: number;
  snapshot: string | null;
  confirmed_seq: number | null;
  confirmed_cursor: number | null;
  last_confirmed_at: string | null;
  stream: PushStream;
}

interface RawEvent {
  seq: number;
  type: string;
  payload: string;
  at: string;
  epoch: number;
  console_id: string;
  cursor: number | null;
}

const MATCH_SELECT = `SELECT m.*, o.confirmed_seq, o.confirmed_cursor, o.last_confirmed_at
  FROM matches m LEFT JOIN outbox o ON o.match_id = m.id`;

function toMatchRow(r: RawMatch): MatchRow {
  return {
    id: r.id,
    meta: JSON.parse(r.meta) as MatchMeta,
    epoch: r.epoch,
    writable: r.writable === 1,
    fence: r.fence_code ? { code: r.fence_code, reason: r.fence_reason ?? '' } : null,
    localOnly: r.local_only === 1,
    lastSeq: r.last_seq,
    snapshot: r.snapshot ? (JSON.parse(r.snapshot) as MatchSnapshot) : null,
    confirmedSeq: r.confirmed_seq ?? 0,
    confirmedCursor: r.confirmed_cursor ?? 0,
    lastConfirmedAt: r.last_confirmed_at,
    stream: r.stream,
  };
}

function toLocalEvent(r: RawEvent): LocalEvent {
  return {
    seq: r.seq,
    type: r.type,
    payload: JSON.parse(r.payload),
    at: r.at,
    epoch: r.epoch,
    consoleId: r.console_id,
    cursor: r.cursor,
  } as LocalEvent;
}

/** Wire form of a local event: exactly the fields the server stores and compares. */
export function toWireEvent(e: LocalEvent): MatchEvent {
  return { seq: e.seq, type: e.type, payload: e.payload, at: e.at } as MatchEvent;
}

export class SeqConflictError extends Error {}

export class LocalStore {
  private readonly s;

  constructor(readonly db: SqliteDatabase) {
    this.s = {
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      deleteSetting: db.prepare('DELETE FROM settings WHERE key = ?'),
      insertSettingIfMissing: db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)'),
      match: db.prepare<[string], RawMatch>(`${MATCH_SELECT} WHERE m.id = ?`),
      matches: db.prepare<[], RawMatch>(`${MATCH_SELECT} ORDER BY m.created_at, m.id`),
      insertMatch: db.prepare(
        `INSERT INTO matches (id, meta, epoch, writable, local_only, last_seq, snapshot, created_at, updated_at, stream)
         VALUES (@id, @meta, @epoch, 1, @localOnly, 0, @snapshot, @now, @now, @stream)`,
      ),
      insertOutbox: db.prepare('INSERT OR IGNORE INTO outbox (match_id) VALUES (?)'),
      events: db.prepare<[string], RawEvent>(
        'SELECT seq, type, payload, at, epoch, console_id, cursor FROM events WHERE match_id = ? ORDER BY seq',
      ),
      eventsAfter: db.prepare<[string, number, number], RawEvent>(
        `SELECT seq, type, payload, at, epoch, console_id, cursor FROM events
         WHERE match_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (match_id, seq, type, payload, at, epoch, console_id, cursor)
         VALUES (@matchId, @seq, @type, @payload, @at, @epoch, @consoleId, @cursor)`,
      ),
      advanceMatch: db.prepare(
        `UPDATE matches SET last_seq = @seq, snapshot = @snapshot, updated_at = @now
         WHERE id = @id AND last_seq = @seq - 1 AND writable = 1`,
      ),
      confirm: db.prepare(
        `UPDATE outbox SET confirmed_seq = @seq, confirmed_cursor = max(confirmed_cursor, @cursor), last_confirmed_at = @now
         WHERE match_id = @id AND confirmed_seq < @seq`,
      ),
      setEventCursor: db.prepare('UPDATE events SET cursor = ? WHERE match_id = ? AND seq = ? AND cursor IS NULL'),
      markKnown: db.prepare('UPDATE matches SET local_only = 0 WHERE id = ?'),
      fence: db.prepare(
        'UPDATE matches SET writable = 0, fence_code = @code, fence_reason = @reason, updated_at = @now WHERE id = @id',
      ),
      pending: db.prepare<[], { match_id: string; pending: number }>(
        `SELECT m.id AS match_id, m.last_seq - coalesce(o.confirmed_seq, 0) AS pending
         FROM matches m LEFT JOIN outbox o ON o.match_id = m.id WHERE m.last_seq > coalesce(o.confirmed_seq, 0)`,
      ),
      setAside: db.prepare<
        [string],
        { seq: number; type: string; payload: string; at: string; epoch: number; reason: string; set_aside_at: string }
      >('SELECT * FROM set_aside_events WHERE match_id = ? ORDER BY set_aside_at, seq'),
      schedule: db.prepare<[string], { snapshot: string }>(
        'SELECT snapshot FROM schedule_cache WHERE court = ? ORDER BY match_id',
      ),
    };
  }

  // ---- settings ----------------------------------------------------------

  getSetting(key: string): string | null {
    return this.s.getSetting.get(key)?.value ?? null;
  }

  setSetting(key: string, value: string | null): void {
    if (value === null) this.s.deleteSetting.run(key);
    else this.s.setSetting.run(key, value);
  }

  /** The console's identity: created on the first start, the same for the life of this database. */
  consoleId(): string {
    this.s.insertSettingIfMissing.run('console_id', randomUUID());
    return this.getSetting('console_id')!;
  }

  // ---- matches -----------------------------------------------------------

  match(id: string): MatchRow | null {
    const r = this.s.match.get(id);
    return r ? toMatchRow(r) : null;
  }

  matches(): MatchRow[] {
    return this.s.matches.all().map(toMatchRow);
  }

  /** Add a match this console did not know (no-op when it exists). */
  addMatch(
    meta: MatchMeta,
    opts: { localOnly: boolean; epoch?: number; snapshot: MatchSnapshot; stream?: PushStream },
  ): void {
    this.db
      .transaction(() => {
        if (this.s.match.get(meta.id)) return;
        this.s.insertMatch.run({
          id: meta.id,
          meta: JSON.stringify(meta),
          epoch: opts.epoch ?? 0,
          localOnly: opts.localOnly ? 1 : 0,
          snapshot: JSON.stringify(opts.snapshot),
          now: new Date().toISOString(),
          stream: opts.stream ?? 'official',
        });
        this.s.insertOutbox.run(meta.id);
      })
      .immediate();
  }

  // ---- the event log -----------------------------------------------------

  events(matchId: string): LocalEvent[] {
    return this.s.events.all(matchId).map(toLocalEvent);
  }

  eventsAfter(matchId: string, afterSeq: number, limit: number): LocalEvent[] {
    return this.s.eventsAfter.all(matchId, afterSeq, limit).map(toLocalEvent);
  }

  /**
   * Store the next event of a match and its new snapshot in one transaction. Refuses a seq
   * that is not last_seq + 1, and any write to a fenced match: the database, not just memory,
   * guarantees no seq is reused or skipped.
   */
  appendEvent(matchId: string, event: LocalEvent, snapshot: MatchSnapshot): void {
    this.db
      .transaction(() => {
        const advanced = this.s.advanceMatch.run({
          id: matchId,
          seq: event.seq,
          snapshot: JSON.stringify(snapshot),
          now: new Date().toISOString(),
        });
        if (advanced.changes !== 1) {
          throw new SeqConflictError(
            `seq ${event.seq} is not the next seq of match ${matchId}, or the match is read-only`,
          );
        }
        this.s.insertEvent.run({
          matchId,
          seq: event.seq,
          type: event.type,
          payload: JSON.stringify(event.payload),
          at: event.at,
          epoch: event.epoch,
          consoleId: event.consoleId,
          cursor: event.cursor,
        });
      })
      .immediate();
  }

  /** The server committed every event up to `seq`. Never moves the confirmed seq backwards. */
  confirm(matchId: string, seq: number, cursor: number, now: string): boolean {
    return this.db.transaction(() => {
      const changed = this.s.confirm.run({ id: matchId, seq, cursor, now }).changes === 1;
      if (changed) {
        this.s.setEventCursor.run(cursor, matchId, seq);
        this.s.markKnown.run(matchId);
      }
      return changed;
    })();
  }

  /** The server lost events it had confirmed (GAP below our confirmed seq): send them again from `seq` + 1. */
  rewindConfirmed(matchId: string, seq: number): void {
    this.db
      .prepare('UPDATE outbox SET confirmed_seq = ? WHERE match_id = ? AND confirmed_seq > ?')
      .run(Math.max(0, seq), matchId, seq);
  }

  /** Unconfirmed events per match (only matches that have some). */
  pendingByMatch(): Map<string, number> {
    return new Map(this.s.pending.all().map((r) => [r.match_id, r.pending]));
  }

  fence(matchId: string, code: string, reason: string): void {
    this.s.fence.run({ id: matchId, code, reason, now: new Date().toISOString() });
  }

  setAsideEvents(matchId: string): SetAsideEvent[] {
    return this.s.setAside.all(matchId).map((r) => ({
      event: { seq: r.seq, type: r.type, payload: JSON.parse(r.payload), at: r.at } as MatchEvent,
      epoch: r.epoch,
      reason: r.reason,
      setAsideAt: r.set_aside_at,
    }));
  }

  /** Rewrite a match's log from the server's history (see reconcile.ts): one transaction. */
  reconcile(args: ReconcileArgs): ReconcileResult {
    return this.db.transaction(() => reconcileInTransaction(this, args)).immediate();
  }

  /** Raw statements for reconcile.ts, which runs inside this store's transaction. */
  get statements() {
    return this.s;
  }

  // ---- schedule cache ----------------------------------------------------

  replaceSchedule(court: string, snapshots: MatchSnapshot[], now: string): void {
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM schedule_cache WHERE court = ?').run(court);
        const insert = this.db.prepare(
          'INSERT OR REPLACE INTO schedule_cache (match_id, court, snapshot, fetched_at) VALUES (?, ?, ?, ?)',
        );
        for (const s of snapshots) insert.run(s.id, court, JSON.stringify(s), now);
      })
      .immediate();
  }

  schedule(court: string): MatchSnapshot[] {
    return this.s.schedule.all(court).map((r) => JSON.parse(r.snapshot) as MatchSnapshot);
  }
}

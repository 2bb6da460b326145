/** Matches, their stored events and their committed snapshots (match_statistics). */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { StoredEvent, Sport } from '../../shared/events.js';
import { teamMeta, type MatchMeta, type MatchSnapshot, type MatchOptions } from '../../shared/match.js';
import { foldMatch } from '../../shared/domain/index.js';
import type { Verification } from '../../shared/verification.js';

type Queryable = pg.Pool | pg.PoolClient;

export interface MatchRow {
  meta: MatchMeta;
  epoch: number;
  writerConsoleId: string | null;
}

interface DbMatchRow {
  id: string;
  sport: Sport;
  court: string;
  home_name: string;
  away_name: string;
  home_players: string[] | null;
  away_players: string[] | null;
  scheduled_at: Date | null;
  slot_minutes: number | null;
  options: MatchOptions;
  epoch: number;
  writer_console_id: string | null;
}

const MATCH_COLUMNS =
  'id, sport, court, home_name, away_name, home_players, away_players, scheduled_at, slot_minutes, options, epoch, writer_console_id';

function toMatchRow(r: DbMatchRow): MatchRow {
  return {
    meta: {
      id: r.id,
      sport: r.sport,
      court: r.court,
      home: teamMeta({ name: r.home_name, ...(r.home_players ? { players: r.home_players } : {}) }),
      away: teamMeta({ name: r.away_name, ...(r.away_players ? { players: r.away_players } : {}) }),
      scheduledAt: r.scheduled_at ? r.scheduled_at.toISOString() : null,
      slotMinutes: r.slot_minutes,
      options: r.options ?? {},
    },
    epoch: r.epoch,
    writerConsoleId: r.writer_console_id,
  };
}

interface DbEventRow {
  cursor: number;
  match_id: string;
  seq: number;
  console_id: string;
  epoch: number;
  event_type: string;
  event_data: unknown;
  at_text: string;
}

export const EVENT_COLUMNS = '"cursor", match_id, seq, console_id, epoch, event_type, event_data, at_text';

export function toStoredEvent(r: DbEventRow): StoredEvent {
  return {
    cursor: r.cursor,
    matchId: r.match_id,
    consoleId: r.console_id,
    seq: r.seq,
    epoch: r.epoch,
    type: r.event_type,
    payload: r.event_data,
    at: r.at_text,
  } as StoredEvent;
}

export function newMatchId(): string {
  return `m_${randomBytes(8).toString('hex')}`;
}

/**
 * Creates the match (and its court row when new) with its empty snapshot.
 * Returns null when a match with that id exists already.
 */
export async function insertMatch(
  db: Queryable,
  meta: MatchMeta,
  createdBy: number | null,
): Promise<MatchSnapshot | null> {
  const snapshot = foldMatch(meta, []);
  await db.query('INSERT INTO courts (id) VALUES ($1) ON CONFLICT DO NOTHING', [meta.court]);
  const { rows } = await db.query(
    `INSERT INTO matches (id, sport, court, home_name, away_name, scheduled_at, slot_minutes, options, created_by,
       home_players, away_players)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [
      meta.id,
      meta.sport,
      meta.court,
      meta.home.name,
      meta.away.name,
      meta.scheduledAt,
      meta.slotMinutes,
      meta.options,
      createdBy,
      // node-pg arrays would become PostgreSQL arrays: jsonb takes the JSON text.
      meta.home.players ? JSON.stringify(meta.home.players) : null,
      meta.away.players ? JSON.stringify(meta.away.players) : null,
    ],
  );
  if (!rows[0]) return null;
  await db.query(
    `INSERT INTO match_statistics (match_id, status, snapshot) VALUES ($1, $2, $3) ON CONFLICT (match_id) DO NOTHING`,
    [meta.id, snapshot.status, snapshot],
  );
  return snapshot;
}

export async function getMatchRow(db: Queryable, id: string): Promise<MatchRow | null> {
  const { rows } = await db.query<DbMatchRow>(`SELECT ${MATCH_COLUMNS} FROM matches WHERE id = $1`, [id]);
  return rows[0] ? toMatchRow(rows[0]) : null;
}

/** Every stored event of a match, ascending (the reducer's history). */
export async function loadMatchEvents(db: Queryable, matchId: string, upToCursor?: number): Promise<StoredEvent[]> {
  const { rows } = await db.query<DbEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM match_events WHERE match_id = $1 AND ($2::bigint IS NULL OR "cursor" <= $2) ORDER BY seq`,
    [matchId, upToCursor ?? null],
  );
  return rows.map(toStoredEvent);
}

export interface EventPage {
  events: StoredEvent[];
  /** Cursor to continue after: the last event's, or `after` when the page is empty. */
  cursor: number;
  upToDate: boolean;
}

/** One page of a match's stored events after a cursor. */
export async function readEventPage(db: Queryable, matchId: string, after: number, limit: number): Promise<EventPage> {
  const { rows } = await db.query<DbEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM match_events WHERE match_id = $1 AND "cursor" > $2 ORDER BY "cursor" LIMIT $3`,
    [matchId, after, limit + 1],
  );
  const upToDate = rows.length <= limit;
  const events = rows.slice(0, limit).map(toStoredEvent);
  return { events, cursor: events.length ? events[events.length - 1]!.cursor : after, upToDate };
}

function withEpoch(snapshot: MatchSnapshot, epoch: number): MatchSnapshot {
  return snapshot.epoch === epoch ? snapshot : { ...snapshot, epoch };
}

/**
 * The committed snapshot with the match's verification (verify stream, contract 1.1) merged
 * in; without a verify stream the snapshot is as stored (no verification field: null).
 */
const SNAPSHOT_COLUMN = `CASE WHEN s.verification IS NULL THEN s.snapshot
  ELSE s.snapshot || jsonb_build_object('verification', s.verification, 'verificationAlert', s.verification_alert) END AS snapshot`;

/** Committed snapshots, newest schedule last. */
export async function listSnapshots(
  db: Queryable,
  filter: { court?: string; courts?: string[] } = {},
): Promise<MatchSnapshot[]> {
  const courts = filter.courts ?? (filter.court ? [filter.court] : null);
  const { rows } = await db.query<{ snapshot: MatchSnapshot; epoch: number }>(
    `SELECT ${SNAPSHOT_COLUMN}, m.epoch FROM matches m JOIN match_statistics s ON s.match_id = m.id
     WHERE $1::text[] IS NULL OR m.court = ANY($1)
     ORDER BY m.court, m.scheduled_at NULLS LAST, m.created_at`,
    [courts],
  );
  return rows.map((r) => withEpoch(r.snapshot, r.epoch));
}

export async function getSnapshot(db: Queryable, id: string): Promise<MatchSnapshot | null> {
  const { rows } = await db.query<{ snapshot: MatchSnapshot; epoch: number }>(
    `SELECT ${SNAPSHOT_COLUMN}, m.epoch FROM matches m JOIN match_statistics s ON s.match_id = m.id WHERE m.id = $1`,
    [id],
  );
  return rows[0] ? withEpoch(rows[0].snapshot, rows[0].epoch) : null;
}

export interface MatchFreshnessRow {
  lastEventAt: string | null;
  lastStoredAt: string | null;
  writerConsoleId: string | null;
  /** The verify stream's verification (null or absent: none). */
  verification?: Verification | null;
}

/** The freshness columns as read (FRESHNESS_COLUMNS of matches m JOIN match_statistics s). */
interface FreshnessDbRow {
  last_event_at: Date | null;
  updated_at: Date;
  event_count: number;
  writer_console_id: string | null;
  verification: Verification | null;
}
const FRESHNESS_COLUMNS = 's.last_event_at, s.updated_at, s.event_count, m.writer_console_id, s.verification';

function freshnessOf(r: FreshnessDbRow): MatchFreshnessRow {
  return {
    lastEventAt: r.last_event_at ? r.last_event_at.toISOString() : null,
    lastStoredAt: r.event_count > 0 ? r.updated_at.toISOString() : null,
    writerConsoleId: r.writer_console_id,
    verification: r.verification ?? null,
  };
}

export async function getFreshnessRow(db: Queryable, id: string): Promise<MatchFreshnessRow | null> {
  const { rows } = await db.query<FreshnessDbRow>(
    `SELECT ${FRESHNESS_COLUMNS}
     FROM matches m JOIN match_statistics s ON s.match_id = m.id WHERE m.id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? freshnessOf(r) : null;
}

/** The freshness facts of many matches in one read (an SSE stream or a feed of every court: not one query per match). */
export async function getFreshnessRows(db: Queryable, ids: readonly string[]): Promise<Map<string, MatchFreshnessRow>> {
  const out = new Map<string, MatchFreshnessRow>();
  if (ids.length === 0) return out;
  const { rows } = await db.query<FreshnessDbRow & { id: string }>(
    `SELECT m.id, ${FRESHNESS_COLUMNS}
     FROM matches m JOIN match_statistics s ON s.match_id = m.id WHERE m.id = ANY($1::text[])`,
    [ids],
  );
  for (const r of rows) out.set(r.id, freshnessOf(r));
  return out;
}

/** A match as the broadcaster starts from: its snapshot and the freshness facts, in one read. */
export interface OnAirRow extends MatchFreshnessRow {
  snapshot: MatchSnapshot;
}

interface DbOnAirRow extends FreshnessDbRow {
  snapshot: MatchSnapshot;
  epoch: number;
}

const ON_AIR_SELECT = `SELECT ${SNAPSHOT_COLUMN}, m.epoch, ${FRESHNESS_COLUMNS}
  FROM matches m JOIN match_statistics s ON s.match_id = m.id`;

function toOnAirRow(r: DbOnAirRow): OnAirRow {
  return { snapshot: withEpoch(r.snapshot, r.epoch), ...freshnessOf(r) };
}

export async function getOnAirRow(db: Queryable, id: string): Promise<OnAirRow | null> {
  const { rows } = await db.query<DbOnAirRow>(`${ON_AIR_SELECT} WHERE m.id = $1`, [id]);
  return rows[0] ? toOnAirRow(rows[0]) : null;
}

/** Every match of these courts (null: all), in schedule order. */
export async function listOnAirRows(db: Queryable, courts: string[] | null): Promise<OnAirRow[]> {
  const { rows } = await db.query<DbOnAirRow>(
    `${ON_AIR_SELECT} WHERE $1::text[] IS NULL OR m.court = ANY($1)
     ORDER BY m.court, m.scheduled_at NULLS LAST, m.created_at`,
    [courts],
  );
  return rows.map(toOnAirRow);
}

/** Stored events of a match with after < cursor <= upTo, ascending, at most `limit`. */
export async function readEventRange(
  db: Queryable,
  matchId: string,
  after: number,
  upTo: number,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await db.query<DbEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM match_events WHERE match_id = $1 AND "cursor" > $2 AND "cursor" <= $3
     ORDER BY "cursor" LIMIT $4`,
    [matchId, after, upTo, limit],
  );
  return rows.map(toStoredEvent);
}

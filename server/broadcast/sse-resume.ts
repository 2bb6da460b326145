/**
 * PostgreSQL reads of the SSE stream (sse-stream.ts): the stored events of the matches a
 * stream follows (a list of courts, or all) in a cursor range, and snapshots as of a cursor by
 * replay. Cursors are global and gapless in commit order (migrations: event_cursor), so
 * once an event with cursor C is visible, every event with a lower cursor is visible too:
 * reading (after, C] never misses a row.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { replayMatch } from '../live/catch-up.js';
import { EVENT_COLUMNS, toStoredEvent } from '../store/matches.js';

const FOLLOWED = `($1::text[] IS NULL OR match_id IN (SELECT id FROM matches WHERE court = ANY($1)))`;

/** Events of the followed matches (courts null: all) with after < cursor <= upTo, ascending, at most limit. */
export async function readFollowedEvents(
  pool: pg.Pool,
  courts: readonly string[] | null,
  after: number,
  upTo: number,
  limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM match_events WHERE ${FOLLOWED} AND "cursor" > $2 AND "cursor" <= $3
     ORDER BY "cursor" LIMIT $4`,
    [courts, after, upTo, limit],
  );
  return rows.map(toStoredEvent);
}

/** How many events of the followed matches lie after a cursor, counted up to limit + 1. */
export async function countFollowedEvents(
  pool: pg.Pool,
  courts: readonly string[] | null,
  after: number,
  limit: number,
): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM match_events WHERE ${FOLLOWED} AND "cursor" > $2 LIMIT $3) t`,
    [courts, after, limit + 1],
  );
  return rows[0]?.n ?? 0;
}

/** The highest cursor handed out so far (0 before the first event). */
export async function latestCursor(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ c: string | number }>(`SELECT coalesce(max("cursor"), 0) AS c FROM match_events`);
  return Number(rows[0]?.c ?? 0);
}

/** The match's snapshot as of each of these cursors (each the cursor of one of its events), by replay. */
export async function snapshotsAt(
  pool: pg.Pool,
  matchId: string,
  cursors: readonly number[],
): Promise<Map<number, MatchSnapshot>> {
  if (cursors.length === 0) return new Map();
  const wanted = new Set(cursors);
  const replay = await replayMatch(pool, matchId, Math.min(...cursors) - 1, Math.max(...cursors), (event) =>
    wanted.has(event.cursor),
  );
  return replay?.snapshots ?? new Map();
}

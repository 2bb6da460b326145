/**
 * Catch-up for a viewer: the stored events of a match after its cursor, up to where the
 * match is on air, read from PostgreSQL. A short catch-up (one page ending where the
 * match is on air) is one indexed read and takes the on-air snapshot; a longer one
 * replays the match up to that cursor so each page carries the snapshot as of its last
 * event (bounded by the match's length, read once per long catch-up).
 */
import type pg from 'pg';
import type { StoredEvent } from '../../shared/events.js';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { LIMITS } from '../../shared/protocol.js';
import { getMatchRow, loadMatchEvents, readEventRange } from '../store/matches.js';

export interface CatchUpPage {
  events: StoredEvent[];
  snapshot: MatchSnapshot;
}

/**
 * Pages of the events with afterCursor < cursor <= upToCursor. `snapshotAtUpTo` is the
 * snapshot as of upToCursor (the on-air one): used when one page covers it all.
 */
export async function readCatchUp(
  pool: pg.Pool,
  matchId: string,
  afterCursor: number,
  upToCursor: number,
  snapshotAtUpTo: MatchSnapshot,
): Promise<CatchUpPage[]> {
  const head = await readEventRange(pool, matchId, afterCursor, upToCursor, LIMITS.MAX_PAGE_EVENTS + 1);
  if (head.length === 0) return [];
  if (head.length <= LIMITS.MAX_PAGE_EVENTS) return [{ events: head, snapshot: snapshotAtUpTo }];
  const row = await getMatchRow(pool, matchId);
  if (!row) return [];
  const all = await loadMatchEvents(pool, matchId, upToCursor);
  const reducer = new MatchReducer(
    row.meta,
    all.filter((e) => e.cursor <= afterCursor),
  );
  const after = all.filter((e) => e.cursor > afterCursor);
  const pages: CatchUpPage[] = [];
  for (let i = 0; i < after.length; i += LIMITS.MAX_PAGE_EVENTS) {
    const events = after.slice(i, i + LIMITS.MAX_PAGE_EVENTS);
    for (const event of events) reducer.apply(event);
    const last = events[events.length - 1]!;
    pages.push({ events, snapshot: { ...reducer.snapshot(), cursor: last.cursor, epoch: snapshotAtUpTo.epoch } });
  }
  return pages;
}

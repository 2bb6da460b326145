/**
 * Catch-up for a viewer: every stored event of a match after its cursor, read from
 * PostgreSQL in pages, each page with the snapshot as of its last event.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../shared/events.js';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { LIMITS } from '../../shared/protocol.js';
import { getMatchRow, loadMatchEvents } from '../store/matches.js';

export interface CatchUpPage {
  events: StoredEvent[];
  snapshot: MatchSnapshot;
}

export interface CatchUpResult {
  /** Seq of the last event at or before `afterCursor` (what the viewer already had). */
  baseSeq: number;
  pages: CatchUpPage[];
}

/** Null when the match does not exist. */
export async function readCatchUp(pool: pg.Pool, matchId: string, afterCursor: number): Promise<CatchUpResult | null> {
  const row = await getMatchRow(pool, matchId);
  if (!row) return null;
  const all = await loadMatchEvents(pool, matchId);
  const before = all.filter((e) => e.cursor <= afterCursor);
  const after = all.filter((e) => e.cursor > afterCursor);
  const reducer = new MatchReducer(row.meta, before);
  const pages: CatchUpPage[] = [];
  for (let i = 0; i < after.length; i += LIMITS.MAX_PAGE_EVENTS) {
    const events = after.slice(i, i + LIMITS.MAX_PAGE_EVENTS);
    for (const event of events) reducer.apply(event);
    const last = events[events.length - 1]!;
    pages.push({ events, snapshot: { ...reducer.snapshot(), cursor: last.cursor, epoch: row.epoch } });
  }
  return { baseSeq: before.length ? before[before.length - 1]!.seq : 0, pages };
}

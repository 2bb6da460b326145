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
import { ReadSlots } from '../security/read-limits.js';
import { getMatchRow, loadMatchEvents, readEventRange } from '../store/matches.js';

/**
 * Catch-ups more than a page behind replay the match (read it whole, fold it): one at a
 * time per process, the others wait (at most LONG_CATCH_UP_QUEUE of them, each at most
 * LONG_CATCH_UP_WAIT_MS; past that the viewer is dropped and catches up when it reconnects).
 */
const LONG_CATCH_UP_CONCURRENCY = 1;
const LONG_CATCH_UP_QUEUE = 100;
const LONG_CATCH_UP_WAIT_MS = 30_000;
const longCatchUps = new ReadSlots(LONG_CATCH_UP_CONCURRENCY, LONG_CATCH_UP_QUEUE, LONG_CATCH_UP_WAIT_MS);

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
  // A snapshot as of each page's last event: every MAX_PAGE_EVENTS-th after the cursor, and the last.
  // Replays take turns: each reads and folds the whole match, and several at once held the event
  // loop long enough to delay other courts' acks.
  const release = await longCatchUps.acquire();
  if (!release) throw new Error('too many long catch-ups waiting; retry later');
  let counted = 0;
  const replay = await replayMatch(
    pool,
    matchId,
    afterCursor,
    upToCursor,
    (event) => event.cursor > afterCursor && (++counted % LIMITS.MAX_PAGE_EVENTS === 0 || event.cursor === upToCursor),
  ).finally(release);
  if (!replay) return [];
  const after = replay.events.filter((e) => e.cursor > afterCursor);
  const pages: CatchUpPage[] = [];
  for (let i = 0; i < after.length; i += LIMITS.MAX_PAGE_EVENTS) {
    const events = after.slice(i, i + LIMITS.MAX_PAGE_EVENTS);
    pages.push({ events, snapshot: replay.snapshots.get(events[events.length - 1]!.cursor) ?? snapshotAtUpTo });
  }
  return pages;
}

/**
 * The stored events of a match up to `upTo`, and its snapshot as of each event after
 * `foldThrough` that `snapshotAt` picks: one read, the events up to `foldThrough` folded at
 * once, the rest applied one by one. Null when the match does not exist.
 */
export async function replayMatch(
  pool: pg.Pool,
  matchId: string,
  foldThrough: number,
  upTo: number,
  snapshotAt: (event: StoredEvent) => boolean,
): Promise<{ events: StoredEvent[]; snapshots: Map<number, MatchSnapshot> } | null> {
  const row = await getMatchRow(pool, matchId);
  if (!row) return null;
  const events = await loadMatchEvents(pool, matchId, upTo);
  const snapshots = new Map<number, MatchSnapshot>();
  const reducer = new MatchReducer(
    row.meta,
    events.filter((e) => e.cursor <= foldThrough),
  );
  for (const event of events) {
    if (event.cursor <= foldThrough) continue;
    reducer.apply(event);
    if (snapshotAt(event))
      snapshots.set(event.cursor, { ...reducer.snapshot(), cursor: event.cursor, epoch: row.epoch });
  }
  return { events, snapshots };
}

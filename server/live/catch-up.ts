/**
 * Catch-up for a viewer: the stored events of a match after its cursor, up to where the
 * match is on air, read from PostgreSQL. A short catch-up (one page ending where the
 * match is on air) is one indexed read and takes the on-air snapshot. A longer one pages
 * between the match's snapshot checkpoints (server/store/checkpoints.ts, stored by the
 * commit every CHECKPOINT_EVENTS events): each page ends at a checkpoint or where the
 * match is on air and takes that snapshot, so it reads only the events after the cursor
 * and folds nothing. Only a match without checkpoints there (stored before migration
 * 1764300000019) or with two checkpoints more than a page apart (one commit of many
 * pushes) is replayed from the start as before.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../shared/events.js';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { LIMITS } from '../../shared/protocol.js';
import { ReadSlots } from '../security/read-limits.js';
import { readCheckpoints } from '../store/checkpoints.js';
import { getMatchRow, loadMatchEvents, readEventRange } from '../store/matches.js';

/**
 * Catch-ups that must replay the match (no checkpoints, see above) (read it whole, fold it): one at a
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

/** Test hook: told how many stored events each read of a catch-up returned and after which cursor it read. */
export type EventsReadHook = (read: { after: number; events: number }) => void;

/**
 * Pages of the events with afterCursor < cursor <= upToCursor. `snapshotAtUpTo` is the
 * snapshot as of upToCursor (the on-air one): used for the page that ends there.
 */
export async function readCatchUp(
  pool: pg.Pool,
  matchId: string,
  afterCursor: number,
  upToCursor: number,
  snapshotAtUpTo: MatchSnapshot,
  onRead?: EventsReadHook,
): Promise<CatchUpPage[]> {
  const head = await readEventRange(pool, matchId, afterCursor, upToCursor, LIMITS.MAX_PAGE_EVENTS + 1);
  onRead?.({ after: afterCursor, events: head.length });
  if (head.length === 0) return [];
  if (head.length <= LIMITS.MAX_PAGE_EVENTS) return [{ events: head, snapshot: snapshotAtUpTo }];
  const paged = await readBetweenCheckpoints(pool, matchId, afterCursor, upToCursor, snapshotAtUpTo, head, onRead);
  if (paged) return paged;
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
  onRead?.({ after: 0, events: replay.events.length });
  const after = replay.events.filter((e) => e.cursor > afterCursor);
  const pages: CatchUpPage[] = [];
  for (let i = 0; i < after.length; i += LIMITS.MAX_PAGE_EVENTS) {
    const events = after.slice(i, i + LIMITS.MAX_PAGE_EVENTS);
    pages.push({ events, snapshot: replay.snapshots.get(events[events.length - 1]!.cursor) ?? snapshotAtUpTo });
  }
  return pages;
}

/**
 * Pages ending at each checkpoint after the cursor and at upToCursor, each with the
 * snapshot as of its last event (the checkpoint's, or the on-air one); `head` is the
 * first MAX_PAGE_EVENTS + 1 events after the cursor, already read. Null when there is no
 * checkpoint in the range or two are more than a page apart: the caller replays.
 * The epoch is the on-air one, as a replay gives it (a takeover changes no event).
 */
async function readBetweenCheckpoints(
  pool: pg.Pool,
  matchId: string,
  afterCursor: number,
  upToCursor: number,
  snapshotAtUpTo: MatchSnapshot,
  head: StoredEvent[],
  onRead?: EventsReadHook,
): Promise<CatchUpPage[] | null> {
  const checkpoints = await readCheckpoints(pool, matchId, afterCursor, upToCursor);
  if (checkpoints.length === 0) return null;
  const ends = [
    ...checkpoints.map((c) => ({ cursor: c.cursor, snapshot: { ...c.snapshot, epoch: snapshotAtUpTo.epoch } })),
    { cursor: upToCursor, snapshot: snapshotAtUpTo },
  ];
  const pages: CatchUpPage[] = [];
  let after = afterCursor;
  for (const [i, end] of ends.entries()) {
    let events: StoredEvent[];
    if (i === 0) {
      events = head.filter((e) => e.cursor <= end.cursor);
    } else {
      events = await readEventRange(pool, matchId, after, end.cursor, LIMITS.MAX_PAGE_EVENTS + 1);
      onRead?.({ after, events: events.length });
    }
    if (events.length > LIMITS.MAX_PAGE_EVENTS) return null;
    if (events.length > 0) pages.push({ events, snapshot: end.snapshot });
    after = end.cursor;
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

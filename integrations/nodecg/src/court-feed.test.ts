/** CourtFeed applies by cursor: duplicates dropped, gaps reported, events never twice, the court's current match chosen. */
import { describe, expect, it } from 'vitest';
import type { LiveMatchUpdate } from '../../../shared/live-messages.js';
import { liveSnapshot as snapshot, storedEvent as event } from '../testing/live-fixtures.js';
import { CourtFeed } from './court-feed.js';

const ONLINE = {
  lastEventAt: '2026-12-01T10:00:00.000Z',
  lastStoredAt: '2026-12-01T10:00:00.100Z',
  consoleOnline: true,
};

function update(matchId: string, baseCursor: number, cursors: number[]): LiveMatchUpdate {
  const last = cursors[cursors.length - 1]!;
  return {
    matchId,
    baseCursor,
    cursor: last,
    events: cursors.map((c) => event(matchId, c)),
    snapshot: snapshot(matchId, last),
    freshness: ONLINE,
  };
}

const cursorsOf = (feed: CourtFeed) => feed.view('1', 'live').events.map((e) => e.cursor);

describe('CourtFeed', () => {
  it('applies updates in order and drops a repeated one', () => {
    const feed = new CourtFeed(['1'], 50);
    expect(feed.takeSnapshot(snapshot('m', 0), ONLINE).kind).toBe('adopted');
    expect(feed.takeUpdate(update('m', 0, [1, 2]))).toEqual({ kind: 'applied', matchId: 'm', added: 2 });
    expect(feed.takeUpdate(update('m', 0, [1, 2])).kind).toBe('duplicate');
    expect(feed.takeUpdate(update('m', 2, [3])).kind).toBe('applied');
    expect(cursorsOf(feed)).toEqual([1, 2, 3]);
    expect(feed.view('1', 'live')).toMatchObject({ cursor: 3, stale: false, match: { id: 'm', home: { score: 3 } } });
  });

  it('takes only the new events of an update that overlaps what it holds', () => {
    const feed = new CourtFeed(['1'], 50);
    feed.takeSnapshot(snapshot('m', 0), ONLINE);
    feed.takeUpdate(update('m', 0, [1, 2]));
    // A merged frame starting before what is held (frames and a match room both delivering).
    expect(feed.takeUpdate(update('m', 1, [2, 3, 4]))).toEqual({ kind: 'applied', matchId: 'm', added: 2 });
    expect(cursorsOf(feed)).toEqual([1, 2, 3, 4]);
  });

  it('reports a gap and applies nothing of it', () => {
    const feed = new CourtFeed(['1'], 50);
    feed.takeSnapshot(snapshot('m', 0), ONLINE);
    feed.takeUpdate(update('m', 0, [1]));
    expect(feed.takeUpdate(update('m', 3, [4]))).toEqual({ kind: 'gap', matchId: 'm', held: 1, baseCursor: 3 });
    expect(feed.view('1', 'live').cursor).toBe(1);
  });

  it('a snapshot ahead of what it holds is a miss (resync), one behind a reset, one at it a freshness refresh', () => {
    const feed = new CourtFeed(['1'], 50);
    feed.takeSnapshot(snapshot('m', 0), ONLINE);
    feed.takeUpdate(update('m', 0, [1, 2, 3]));
    expect(feed.takeSnapshot(snapshot('m', 5), ONLINE)).toEqual({ kind: 'ahead', matchId: 'm', held: 3, cursor: 5 });
    const offline = { ...ONLINE, consoleOnline: false };
    expect(feed.takeSnapshot(snapshot('m', 3), offline).kind).toBe('same');
    expect(feed.view('1', 'live')).toMatchObject({ stale: true, freshness: { consoleOnline: false } });
    expect(feed.takeSnapshot(snapshot('m', 2), ONLINE).kind).toBe('reset');
    expect(cursorsOf(feed)).toEqual([1, 2]);
  });

  it('resumes from restored replicants: held cursors are what the next connection catches up from', () => {
    const before = new CourtFeed(['1'], 50);
    before.takeSnapshot(snapshot('m', 0), ONLINE);
    before.takeUpdate(update('m', 0, [1, 2]));
    const after = new CourtFeed(['1'], 50, [before.view('1', 'offline')]);
    expect(after.held()).toEqual([{ matchId: 'm', cursor: 2 }]);
    expect(after.takeUpdate(update('m', 2, [3])).kind).toBe('applied');
    expect(cursorsOf(after)).toEqual([1, 2, 3]);
  });

  it('shows the court current match: live before scheduled, and only followed courts', () => {
    const feed = new CourtFeed(['1'], 50);
    feed.takeSnapshot(snapshot('later', 0, { status: 'scheduled' }), undefined);
    expect(feed.view('1', 'live').match?.id).toBe('later');
    feed.takeSnapshot(snapshot('now', 4), ONLINE);
    expect(feed.view('1', 'live').match?.id).toBe('now');
    expect(feed.takeSnapshot(snapshot('x', 1, { court: '9' }), ONLINE).kind).toBe('other-court');
    expect(feed.takeUpdate(update('y', 0, [1])).kind).toBe('applied'); // court 1 (first seen through an update)
    feed.keepOnly(new Set(['now']));
    expect(feed.held().map((h) => h.matchId)).toEqual(['now']);
  });

  it('keeps the last eventsKept events', () => {
    const feed = new CourtFeed(['1'], 2);
    feed.takeSnapshot(snapshot('m', 0), ONLINE);
    feed.takeUpdate(update('m', 0, [1, 2, 3]));
    expect(cursorsOf(feed)).toEqual([2, 3]);
  });

  it('marks everything stale while the link is not live', () => {
    const feed = new CourtFeed(['1'], 50);
    feed.takeSnapshot(snapshot('m', 1), ONLINE);
    expect(feed.view('1', 'offline').stale).toBe(true);
    expect(feed.view('1', 'catching-up').stale).toBe(true);
    expect(feed.view('1', 'live').stale).toBe(false);
  });
});

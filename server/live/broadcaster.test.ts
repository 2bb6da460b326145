/**
 * The broadcaster's bookkeeping with its I/O replaced (rooms, PostgreSQL reads): late
 * and repeated batches add nothing, a batch after a gap is preceded by the missed
 * events, an unreadable gap stays visible, and a burst is coalesced per window.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { MatchUpdate } from '../../shared/protocol.js';
import type { CommittedMatch } from '../ingest/flush.js';
import { createLogger } from '../logger.js';
import { Broadcaster, matchRoom } from './broadcaster.js';

const WINDOW_MS = 100;
const MATCH = 'm1';

function event(seq: number, cursor: number): StoredEvent {
  return {
    seq,
    cursor,
    matchId: MATCH,
    consoleId: '00000000-0000-4000-8000-000000000001',
    epoch: 0,
    type: 'SCORE_UPDATE',
    payload: { side: 'home' },
    at: '2026-11-28T10:00:00.000Z',
  } as StoredEvent;
}

function snapshot(cursor: number): MatchSnapshot {
  return { id: MATCH, court: 'C1', cursor, seq: cursor } as unknown as MatchSnapshot;
}

/** A committed batch of events with these cursors (seq = cursor here), after `previous`. */
function batch(previous: number, ...cursors: number[]): CommittedMatch {
  const last = cursors[cursors.length - 1]!;
  return {
    matchId: MATCH,
    court: 'C1',
    epoch: 0,
    writerConsoleId: null,
    previousCursor: previous,
    events: cursors.map((c) => event(c, c)),
    snapshot: snapshot(last),
    lastEventAt: '2026-11-28T10:00:00.000Z',
    storedAt: '2026-11-28T10:00:00.000Z',
  };
}

function rig(stored: StoredEvent[] = [], readFails = false) {
  const sent: MatchUpdate[] = [];
  const broadcaster = new Broadcaster({
    windowMs: WINDOW_MS,
    logger: createLogger('silent', 'test'),
    sources: {
      readEvents: async (_m, after, upTo) => {
        if (readFails) throw new Error('storage down');
        return stored.filter((e) => e.cursor > after && e.cursor <= upTo);
      },
      readOnAir: async () => ({ snapshot: snapshot(0), lastEventAt: null, lastStoredAt: null, writerConsoleId: null }),
      consoleOnline: () => true,
    },
  });
  broadcaster.attach({
    matchUpdate: (rooms, update) => {
      expect(rooms).toContain(matchRoom(MATCH));
      sent.push(update);
    },
    frame: () => {},
    courtUpdate: () => {},
    roomSize: () => 1,
  });
  return { broadcaster, sent };
}

/** Lets the broadcaster's per-match chain run. */
async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Broadcaster', () => {
  it('a lone batch goes out at once; the next ones in the window are coalesced into one update', async () => {
    const { broadcaster, sent } = rig();
    broadcaster.created(snapshot(0));
    broadcaster.committed(batch(0, 1));
    await settle();
    expect(sent.map((u) => [u.baseCursor, u.cursor])).toEqual([[0, 1]]);
    broadcaster.committed(batch(1, 2));
    broadcaster.committed(batch(2, 3, 4));
    await settle();
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(sent.map((u) => [u.baseCursor, u.cursor, u.events.map((e) => e.seq)])).toEqual([
      [0, 1, [1]],
      [1, 4, [2, 3, 4]],
    ]);
  });

  it('a late or repeated batch adds nothing', async () => {
    const { broadcaster, sent } = rig();
    broadcaster.created(snapshot(0));
    broadcaster.committed(batch(0, 1, 2));
    await settle();
    broadcaster.committed(batch(0, 1, 2));
    broadcaster.committed(batch(0, 1));
    await vi.advanceTimersByTimeAsync(WINDOW_MS * 3);
    expect(sent.map((u) => u.events.map((e) => e.seq))).toEqual([[1, 2]]);
  });

  it('a batch after a gap is preceded by the missed events from storage, linked to where the rooms are', async () => {
    const { broadcaster, sent } = rig([event(1, 1), event(2, 2), event(3, 3)]);
    broadcaster.created(snapshot(0));
    broadcaster.committed(batch(0, 1));
    await settle();
    // Cursors 2 and 3 were committed elsewhere and their batch has not arrived.
    broadcaster.committed(batch(3, 4));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(sent.map((u) => [u.baseCursor, u.events.map((e) => e.seq)])).toEqual([
      [0, [1]],
      [1, [2, 3, 4]],
    ]);
    // The late batch then adds nothing.
    broadcaster.committed(batch(1, 2, 3));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(sent).toHaveLength(2);
  });

  it('a gap storage cannot fill stays visible: the update says where it really starts', async () => {
    const { broadcaster, sent } = rig([], true);
    broadcaster.created(snapshot(0));
    broadcaster.committed(batch(0, 1));
    await settle();
    broadcaster.committed(batch(3, 4));
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(sent.map((u) => [u.baseCursor, u.cursor])).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });
});

describe('Broadcaster send slices', () => {
  it('matches falling due together are sent in slices, each once and in order, so I/O gets turns between', async () => {
    vi.useRealTimers();
    const ids = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const sent: string[] = [];
    const broadcaster = new Broadcaster({
      windowMs: WINDOW_MS,
      logger: createLogger('silent', 'test'),
      sources: {
        readEvents: async () => [],
        readOnAir: async () => null,
        consoleOnline: () => true,
      },
    });
    broadcaster.attach({
      matchUpdate: (_rooms, update) => {
        // A write that costs a real millisecond (a busy loop: the slice budget is wall time).
        const until = performance.now() + 1;
        while (performance.now() < until);
        sent.push(update.matchId);
      },
      frame: () => {},
      courtUpdate: () => {},
      roomSize: () => 1,
    });
    for (const id of ids) {
      broadcaster.created({ ...snapshot(0), id });
      const b = batch(0, 1);
      broadcaster.committed({
        ...b,
        matchId: id,
        snapshot: { ...b.snapshot, id },
        events: b.events.map((e) => ({ ...e, matchId: id })),
      });
    }
    await settle();
    // Everything above ran without a macrotask: only the first slice went out.
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(ids.length);
    await vi.waitFor(() => expect(sent).toHaveLength(ids.length));
    expect(sent).toEqual(ids);
  });
});

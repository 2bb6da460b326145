import { describe, expect, it } from 'vitest';
// The clock and set texts are the display model's: shared/display/clock.test.ts, score-lines.test.ts.
import { compareCourts, currentMatchPerCourt, isStale, selectCurrentMatch } from './pages/assets/lib/court-view.js';
import { snapshot } from '../../test/support/broadcast/snapshots.js';

describe('selectCurrentMatch', () => {
  const finishedEarly = snapshot({ id: 'f1', status: 'finished', cursor: 5 });
  const finishedLate = snapshot({ id: 'f2', status: 'finished', cursor: 9 });
  const nextUp = snapshot({ id: 's1', scheduledAt: '2026-11-28T10:00:00Z' });
  const later = snapshot({ id: 's2', scheduledAt: '2026-11-28T11:00:00Z' });
  const unscheduled = snapshot({ id: 's0' });

  it('prefers a live or paused match over everything else', () => {
    const live = snapshot({ id: 'l', status: 'paused', cursor: 3 });
    expect(selectCurrentMatch([finishedLate, nextUp, live, later])?.id).toBe('l');
  });

  it('picks the most recently changed of several live matches', () => {
    const a = snapshot({ id: 'a', status: 'live', cursor: 4 });
    const b = snapshot({ id: 'b', status: 'live', cursor: 7 });
    expect(selectCurrentMatch([a, b])?.id).toBe('b');
  });

  it('else the earliest scheduled, unscheduled last', () => {
    expect(selectCurrentMatch([unscheduled, later, finishedLate, nextUp])?.id).toBe('s1');
    expect(selectCurrentMatch([unscheduled, finishedLate])?.id).toBe('s0');
  });

  it('else the last finished; null for no match', () => {
    expect(selectCurrentMatch([finishedEarly, finishedLate])?.id).toBe('f2');
    expect(selectCurrentMatch([])).toBeNull();
  });

  it('does not depend on input order', () => {
    const all = [finishedEarly, nextUp, later, unscheduled];
    expect(selectCurrentMatch([...all].reverse())?.id).toBe(selectCurrentMatch(all)?.id);
  });
});

describe('courts', () => {
  it('orders court names naturally', () => {
    expect(['10', '2', 'B', '1', 'a'].sort(compareCourts)).toEqual(['1', '2', '10', 'a', 'B']);
  });

  it('gives one current match per court', () => {
    const rows = currentMatchPerCourt([
      snapshot({ id: 'x', court: '10' }),
      snapshot({ id: 'y', court: '2', status: 'finished' }),
      snapshot({ id: 'z', court: '2', status: 'live' }),
    ]);
    expect(rows.map((r) => [r.court, r.match.id])).toEqual([
      ['2', 'z'],
      ['10', 'x'],
    ]);
  });
});

describe('isStale', () => {
  const online = { lastEventAt: null, lastStoredAt: null, consoleOnline: true };
  const offline = { ...online, consoleOnline: false };
  it('is stale only while in play with the console away', () => {
    expect(isStale(snapshot({ status: 'live' }), offline)).toBe(true);
    expect(isStale(snapshot({ status: 'live' }), null)).toBe(true);
    expect(isStale(snapshot({ status: 'live' }), online)).toBe(false);
    expect(isStale(snapshot({ status: 'finished' }), offline)).toBe(false);
    expect(isStale(snapshot({ status: 'scheduled' }), offline)).toBe(false);
  });
});

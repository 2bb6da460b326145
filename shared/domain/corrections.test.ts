import { describe, expect, it } from 'vitest';
import { foldMatch } from './fold.js';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';
import type { FoldableEvent } from './types.js';

const undo = (seq: number) => ({ type: 'CORRECTION', payload: { undoes: seq } }) as const;
const at = '2026-05-01T10:00:00.000Z';

describe('corrections', () => {
  it('cancel an event; a correction of the correction re-applies it; a third cancels again', () => {
    const s = new Scorer(testMeta('generic')).start().point('home', 2).point('away'); // seq 2, 3
    s.send(undo(2));
    expect(s.snap.home.score).toBe(0);
    expect(s.snap.cancelledSeqs).toEqual([2]);
    s.send(undo(4)); // redo
    expect(s.snap.home.score).toBe(2);
    expect(s.snap.cancelledSeqs).toEqual([4]);
    s.send(undo(5));
    expect(s.snap.home.score).toBe(0);
    expect(s.snap.cancelledSeqs).toEqual([2, 5]);
    expect(s.snap.away.score).toBe(1);
  });

  it('refuses corrections of unknown, later or already-cancelled events, naming payload.undoes', () => {
    const s = new Scorer(testMeta('generic')).start().point('home'); // seq 2
    for (const target of [3, 99]) {
      const verdict = s.try(undo(target));
      expect(verdict).toMatchObject({ ok: false, code: 'RULES', message: expect.stringMatching(/^payload\.undoes/) });
    }
    s.send(undo(2));
    expect(s.try(undo(2))).toMatchObject({ ok: false, message: expect.stringMatching(/already cancelled/) });
  });

  it('undoing a set-winning point reopens the set with its serve', () => {
    const s = new Scorer(testMeta('volleyball')).start('home').run('home', 24).point('away').point('home');
    expect(s.snap.setsWon.home).toBe(1);
    s.send(undo(s.reducer.lastSeq));
    expect(s.snap.setsWon.home).toBe(0);
    expect([s.snap.home.score, s.snap.away.score]).toEqual([24, 1]);
    expect(s.snap.serving).toBe('away');
    expect(s.snap.setPoint).toBe('home');
  });

  it('undoing the point that won the match reopens it', () => {
    const s = new Scorer(testMeta('badminton')).start().run('home', 42);
    expect(s.snap.status).toBe('finished');
    s.send(undo(s.reducer.lastSeq));
    expect(s.snap.status).toBe('live');
    expect(s.snap.winner).toBeNull();
    expect(s.snap.matchPoint).toBe('home');
  });

  it('a fold skips what a correction made impossible and lists it in ignoredSeqs', () => {
    const s = new Scorer(testMeta('generic')).start().point('home').point('away'); // 1, 2, 3
    s.send(undo(1)); // the match never started: the points cannot count
    expect(s.snap.status).toBe('scheduled');
    expect(s.snap.ignoredSeqs).toEqual([2, 3]);
    expect(s.snap.cancelledSeqs).toEqual([1]);
    expect([s.snap.home.score, s.snap.away.score]).toEqual([0, 0]);
    s.send(undo(4)); // redo the start: everything counts again
    expect(s.snap.ignoredSeqs).toEqual([]);
    expect([s.snap.home.score, s.snap.away.score]).toEqual([1, 1]);
  });

  it('the fold of a history no writer would accept never throws and is decided deterministically', () => {
    const ev = (seq: number, e: Omit<FoldableEvent, 'seq' | 'at'>): FoldableEvent =>
      ({ ...e, seq, at }) as FoldableEvent;
    const history: FoldableEvent[] = [
      ev(1, { type: 'SCORE_UPDATE', payload: { side: 'home' } }), // before the start
      ev(2, { type: 'MATCH_START', payload: {} }),
      ev(3, { type: 'SCORE_UPDATE', payload: { side: 'home', points: 3 } }),
      ev(4, { type: 'CORRECTION', payload: { undoes: 3 } }),
      ev(5, { type: 'CORRECTION', payload: { undoes: 3 } }), // redundant: the later one counts
      ev(6, { type: 'CORRECTION', payload: { undoes: 42 } }), // unknown
      ev(7, { type: 'CORRECTION', payload: { undoes: 7 } }), // itself
      ev(8, { type: 'MATCH_RESUME', payload: {} }), // not paused
      ev(9, { type: 'SCORE_UPDATE', payload: { side: 'away', points: 2 } }),
    ];
    const snap = foldMatch(testMeta('generic'), history);
    expect(snap.ignoredSeqs).toEqual([1, 4, 6, 7, 8]);
    expect(snap.cancelledSeqs).toEqual([3]);
    expect([snap.home.score, snap.away.score]).toEqual([0, 2]);
    expect(snap.seq).toBe(9);
  });
});

/**
 * The reducer's incremental corrections (correction-index.ts, checkpoints) against the
 * plain fold, over long random histories with many corrections, corrections of
 * corrections and chains of them, applied as committed events (apply without check, so
 * histories the console would refuse are covered too): after every correction the
 * snapshot is byte-identical to foldMatch of the same events. Also: check() refuses a
 * correction reaching more than MAX_CORRECTION_REACH events back, and a correction of
 * the last event of a long match refolds only a bounded number of events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sport } from '../events.js';
import { foldMatch } from './fold.js';
import { CHECKPOINT_EVERY, MAX_CORRECTION_REACH, MatchReducer } from './reducer.js';
import { testMeta } from '../../test/support/domain-scorer.js';
import type { FoldableEvent } from './types.js';

const BASE_MS = Date.parse('2026-05-01T10:00:00.000Z');
const at = (seq: number) => new Date(BASE_MS + seq * 1000).toISOString();

type Step = { kind: 'point'; home: boolean } | { kind: 'fix'; back: number; ofFix: boolean } | { kind: 'junk' };

const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('point' as const), home: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fix' as const),
      // Mostly recent targets (what an operator corrects), sometimes far back (past checkpoints).
      back: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }) }, fc.integer({ min: 1, max: 400 })),
      ofFix: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('junk' as const) }) },
);

function eventFor(s: Step, seq: number, corrections: number[]): FoldableEvent {
  switch (s.kind) {
    case 'point':
      return { seq, type: 'SCORE_UPDATE', payload: { side: s.home ? 'home' : 'away' }, at: at(seq) };
    case 'junk':
      // A damaged correction (no number): refused by the fold, kept by the reducer.
      return { seq, type: 'CORRECTION', payload: { undoes: 'x' }, at: at(seq) } as unknown as FoldableEvent;
    case 'fix': {
      const pool = s.ofFix && corrections.length ? corrections : null;
      const undoes = pool ? pool[Math.max(0, pool.length - s.back)]! : Math.max(1, seq - s.back);
      return { seq, type: 'CORRECTION', payload: { undoes }, at: at(seq) };
    }
  }
}

describe('incremental corrections', () => {
  for (const sport of ['generic', 'volleyball', 'tennis'] as Sport[]) {
    it(`${sport}: equals the fold after every correction, over long histories with chains of corrections`, () => {
      fc.assert(
        fc.property(fc.array(step, { minLength: 300, maxLength: 700 }), (steps) => {
          const meta = testMeta(sport);
          const reducer = new MatchReducer(meta);
          reducer.apply({ seq: 1, type: 'MATCH_START', payload: {}, at: at(1) });
          const corrections: number[] = [];
          for (const s of steps) {
            const seq = reducer.lastSeq + 1;
            const event = eventFor(s, seq, corrections);
            reducer.apply(event);
            if (event.type !== 'CORRECTION') continue;
            corrections.push(seq);
            expect(JSON.stringify(reducer.snapshot())).toBe(JSON.stringify(foldMatch(meta, reducer.events())));
          }
          // A reducer built from the history agrees, and carries on identically.
          const rebuilt = new MatchReducer(meta, reducer.events());
          expect(JSON.stringify(rebuilt.snapshot())).toBe(JSON.stringify(reducer.snapshot()));
          const next = { seq: reducer.lastSeq + 1, type: 'CORRECTION', payload: { undoes: 2 }, at: at(0) } as const;
          reducer.apply(next);
          rebuilt.apply(next);
          expect(JSON.stringify(rebuilt.snapshot())).toBe(JSON.stringify(foldMatch(meta, reducer.events())));
          expect(JSON.stringify(reducer.snapshot())).toBe(JSON.stringify(rebuilt.snapshot()));
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('bounded cost', () => {
  function longMatch(events: number): MatchReducer {
    const history: FoldableEvent[] = [{ seq: 1, type: 'MATCH_START', payload: {}, at: at(1) }];
    for (let seq = 2; seq <= events; seq++)
      history.push({ seq, type: 'SCORE_UPDATE', payload: { side: seq % 2 ? 'home' : 'away' }, at: at(seq) });
    return new MatchReducer(testMeta('generic'), history);
  }

  it(`check() refuses a correction that would change an event more than ${MAX_CORRECTION_REACH} events back (RULES)`, () => {
    const r = longMatch(5_000);
    const fix = (undoes: number) => ({
      seq: r.lastSeq + 1,
      type: 'CORRECTION' as const,
      payload: { undoes },
      at: at(0),
    });
    expect(r.check(fix(r.lastSeq - MAX_CORRECTION_REACH + 1))).toEqual({ ok: true });
    expect(r.check(fix(r.lastSeq - MAX_CORRECTION_REACH))).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/^payload\.undoes: event \d+ is more than 1000 events back/),
    });
    // A recent correction of a correction whose chain reaches far back is refused too.
    const old = r.lastSeq - 2 * MAX_CORRECTION_REACH;
    r.apply(fix(old)); // committed elsewhere (apply takes any history)
    const first = r.lastSeq;
    r.apply(fix(first)); // redo of the old event: a recent event, but it changes the old one
    expect(r.check(fix(r.lastSeq))).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/would change events more than 1000 events back/),
    });
    expect(JSON.stringify(r.snapshot())).toBe(JSON.stringify(foldMatch(r.meta, r.events())));
  });

  it('a correction of a recent event in a 40,000-event match refolds at most a checkpoint interval plus what it changes', () => {
    const r = longMatch(40_000);
    let steps = 0;
    const state = (r as unknown as { step: (i: number) => void }).step.bind(r);
    (r as unknown as { step: (i: number) => void }).step = (i: number) => {
      steps++;
      state(i);
    };
    for (let k = 0; k < 50; k++) {
      const seq = r.lastSeq + 1;
      const event = { seq, type: 'CORRECTION' as const, payload: { undoes: seq - 1 - (k % 3) }, at: at(seq) };
      if (!r.check(event).ok) continue;
      steps = 0;
      r.apply(event);
      expect(steps).toBeLessThanOrEqual(CHECKPOINT_EVERY + 4);
    }
    expect(JSON.stringify(r.snapshot())).toBe(JSON.stringify(foldMatch(r.meta, r.events())));
  });
});

/**
 * Properties over random event histories, for every sport: replay is deterministic,
 * the reducer agrees with the fold, an undo followed by re-entry restores the state,
 * nothing scores after the end, and totals add up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, SIDES, SPORTS, type Side, type Sport } from '../events.js';
import type { MatchSnapshot } from '../match.js';
import { foldMatch } from './fold.js';
import { MatchReducer } from './reducer.js';
import { testMeta } from '../../test/support/domain-scorer.js';
import type { FoldableEvent } from './types.js';

type Draft = Omit<FoldableEvent, 'seq' | 'at'>;
const RUNS = 150;
const BASE_MS = Date.parse('2026-05-01T10:00:00.000Z');

const side = fc.constantFrom<Side>(...SIDES);
/** Raw material for one event; `pick` chooses a correction's target among earlier seqs. */
const action = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({ t: fc.constant('point' as const), side, points: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constantFrom('start', 'pause', 'resume', 'end', 'periodEnd', 'periodStart') }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('endFor' as const), side }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('timeout', 'foul', 'card', 'note'), side }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constantFrom('clockStart', 'clockStop', 'clockSet'), ms: fc.nat(3_600_000) }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('correct' as const), pick: fc.nat() }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

const multiPoint = (sport: Sport) => sport === 'generic' || sport === 'basketball';

function draftFor(sport: Sport, a: Action, lastSeq: number): Draft | null {
  switch (a.t) {
    case 'point':
      return {
        type: 'SCORE_UPDATE',
        payload: multiPoint(sport) ? { side: a.side, points: a.points } : { side: a.side },
      };
    case 'start':
      return { type: 'MATCH_START', payload: {} };
    case 'pause':
      return { type: 'MATCH_PAUSE', payload: {} };
    case 'resume':
      return { type: 'MATCH_RESUME', payload: {} };
    case 'end':
      return { type: 'MATCH_END', payload: {} };
    case 'endFor':
      return { type: 'MATCH_END', payload: { winner: a.side } };
    case 'periodEnd':
      return { type: 'PERIOD_END', payload: {} };
    case 'periodStart':
      return { type: 'PERIOD_START', payload: {} };
    case 'timeout':
    case 'foul':
    case 'note':
      return { type: 'EVENT_ADDED', payload: { kind: a.t, side: a.side } };
    case 'card':
      return { type: 'EVENT_ADDED', payload: { kind: 'card', side: a.side, card: 'yellow' } };
    case 'clockStart':
      return { type: 'CLOCK_START', payload: { remainingMs: a.ms } };
    case 'clockStop':
      return { type: 'CLOCK_STOP', payload: { remainingMs: a.ms } };
    case 'clockSet':
      return { type: 'CLOCK_SET', payload: { remainingMs: a.ms } };
    case 'correct':
      return lastSeq === 0 ? null : { type: 'CORRECTION', payload: { undoes: (a.pick % lastSeq) + 1 } };
  }
}

function stamp(draft: Draft, seq: number): FoldableEvent {
  return { ...draft, seq, at: new Date(BASE_MS + seq * 1000).toISOString(), cursor: seq * 3 } as FoldableEvent;
}

/** Feeds actions through check/apply like a console: refused ones are dropped. */
function acceptedHistory(sport: Sport, actions: Action[], accept: (e: FoldableEvent) => boolean = () => true) {
  const reducer = new MatchReducer(testMeta(sport));
  reducer.apply(stamp({ type: 'MATCH_START', payload: {} }, 1));
  for (const a of actions) {
    const draft = draftFor(sport, a, reducer.lastSeq);
    if (!draft) continue;
    const event = stamp(draft, reducer.lastSeq + 1);
    if (accept(event) && reducer.check(event).ok) reducer.apply(event);
  }
  return reducer;
}

/** The parts of a snapshot that a scoreboard shows (no bookkeeping of seqs and times). */
function scoreState(s: MatchSnapshot) {
  const { seq: _seq, cursor: _c, updatedAt: _u, epoch: _e, ignoredSeqs: _i, cancelledSeqs: _x, ...rest } = s;
  return rest;
}

/** The same event with its keys in reverse order: the fold must not care. */
function reversedKeys<T extends object>(value: T): T {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse())
    out[key] = reversedKeys((value as Record<string, unknown>)[key] as object);
  return out as T;
}

const sport = fc.constantFrom<Sport>(...SPORTS);
const actions = fc.array(action, { maxLength: 250 });

describe('fold properties', () => {
  it('replay is deterministic and the reducer equals the fold, for any history (even refused events)', () => {
    fc.assert(
      fc.property(sport, actions, fc.boolean(), (sp, acts, startFirst) => {
        const meta = testMeta(sp, { bestOf: 3 });
        const events: FoldableEvent[] = startFirst ? [stamp({ type: 'MATCH_START', payload: {} }, 1)] : [];
        for (const a of acts) {
          const draft = draftFor(sp, a, events.length);
          if (draft) events.push(stamp(draft, events.length + 1));
        }
        const reducer = new MatchReducer(meta);
        for (const e of events) reducer.apply(e);
        const once = JSON.stringify(foldMatch(meta, events));
        expect(JSON.stringify(foldMatch(meta, events))).toBe(once);
        expect(JSON.stringify(foldMatch(meta, events.map(reversedKeys)))).toBe(once);
        expect(JSON.stringify(foldMatch(meta, [...events].reverse()))).toBe(once);
        expect(JSON.stringify(reducer.snapshot())).toBe(once);
        expect(JSON.stringify(new MatchReducer(reversedKeys(meta), events).snapshot())).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  it('a correction of the last event followed by its re-entry gives the same score state', () => {
    fc.assert(
      fc.property(sport, actions, (sp, acts) => {
        const reducer = acceptedHistory(sp, acts);
        const last = reducer.events()[reducer.events().length - 1]!;
        fc.pre(last.type !== 'CORRECTION');
        const before = scoreState(reducer.snapshot());
        const correction = stamp({ type: 'CORRECTION', payload: { undoes: last.seq } }, reducer.lastSeq + 1);
        expect(reducer.check(correction)).toEqual({ ok: true });
        reducer.apply(correction);
        const { seq: _s, cursor: _c, epoch: _e, ...draft } = last;
        const reentry = { ...draft, seq: reducer.lastSeq + 1, cursor: (reducer.lastSeq + 1) * 3 } as FoldableEvent;
        expect(reducer.check(reentry)).toEqual({ ok: true });
        reducer.apply(reentry);
        expect(scoreState(reducer.snapshot())).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('no score changes after the match is finished', () => {
    fc.assert(
      fc.property(sport, actions, (sp, acts) => {
        const reducer = acceptedHistory(sp, acts, (e) => e.type !== 'CORRECTION');
        let finished: string | null = null;
        for (const e of reducer.events()) {
          const snap = new MatchReducer(reducer.meta, reducer.events().slice(0, e.seq)).snapshot();
          const score = JSON.stringify([snap.home.score, snap.away.score, snap.sets, snap.setsWon, snap.winner]);
          if (finished !== null) expect(score).toBe(finished);
          else if (snap.status === 'finished') finished = score;
        }
        if (finished !== null) {
          for (const s of SIDES) {
            const point = stamp({ type: 'SCORE_UPDATE', payload: { side: s } }, reducer.lastSeq + 1);
            expect(reducer.check(point)).toMatchObject({ ok: false, code: 'RULES' });
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('generic: the score is the sum of accepted points minus corrected ones (independent model)', () => {
    fc.assert(
      fc.property(actions, (acts) => {
        const events = new Map<number, FoldableEvent>();
        const reducer = acceptedHistory('generic', acts, (e) => {
          // Correct only points and corrections, so no rule ever changes its mind.
          if (e.type !== 'CORRECTION') return true;
          const target = events.get(e.payload.undoes);
          return target?.type === 'SCORE_UPDATE' || target?.type === 'CORRECTION';
        });
        for (const e of reducer.events()) events.set(e.seq, e);
        // Forward model: cancelling a correction reverts what it did, recursively.
        const active = new Map<number, boolean>();
        const setActive = (seq: number, on: boolean): void => {
          active.set(seq, on);
          const e = events.get(seq)!;
          if (e.type === 'CORRECTION') setActive(e.payload.undoes, !on);
        };
        for (const e of reducer.events()) {
          active.set(e.seq, true);
          if (e.type === 'CORRECTION') setActive(e.payload.undoes, false);
        }
        const expected = { home: 0, away: 0 };
        for (const e of reducer.events())
          if (e.type === 'SCORE_UPDATE' && active.get(e.seq)) expected[e.payload.side] += e.payload.points ?? 1;
        const snap = reducer.snapshot();
        expect({ home: snap.home.score, away: snap.away.score }).toEqual(expected);
        expect(snap.ignoredSeqs).toEqual([]);
        const cancelled = [...active].filter(([, on]) => !on).map(([seq]) => seq);
        expect(snap.cancelledSeqs).toEqual(cancelled.sort((a, b) => a - b));
      }),
      { numRuns: RUNS },
    );
  });

  it('basketball: the score is the sum of the points neither cancelled nor refused, by quarter too', () => {
    fc.assert(
      fc.property(actions, (acts) => {
        const reducer = acceptedHistory('basketball', acts);
        const snap = reducer.snapshot();
        const gone = new Set([...snap.cancelledSeqs, ...snap.ignoredSeqs]);
        const expected = { home: 0, away: 0 };
        for (const e of reducer.events())
          if (e.type === 'SCORE_UPDATE' && !gone.has(e.seq)) expected[e.payload.side] += e.payload.points ?? 1;
        expect({ home: snap.home.score, away: snap.away.score }).toEqual(expected);
        const byPeriods = snap.sets.reduce((t, p) => ({ home: t.home + p.home, away: t.away + p.away }), {
          home: 0,
          away: 0,
        });
        expect(byPeriods.home).toBeLessThanOrEqual(expected.home);
        expect(byPeriods.away).toBeLessThanOrEqual(expected.away);
      }),
      { numRuns: RUNS },
    );
  });

  it('a damaged stored history (any payloads, unknown types) folds without throwing, listing what it skipped', () => {
    const maybe = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof(valid, fc.constantFrom(undefined, null, 'left', '2', -1, 1.5, Number.NaN, {}, []));
    const damaged = fc.record({
      type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('GOAL', '')),
      payload: fc.oneof(
        fc.record(
          {
            side: maybe(side),
            points: maybe(fc.integer({ min: 1, max: 3 })),
            undoes: maybe(fc.integer({ min: 1, max: 80 })),
            kind: maybe(fc.constantFrom('timeout', 'foul', 'card', 'note', 'substitution')),
            card: maybe(fc.constantFrom('yellow', 'red')),
            remainingMs: maybe(fc.nat(100_000)),
            period: maybe(fc.integer({ min: 1, max: 6 })),
            winner: maybe(side),
            firstServer: maybe(side),
          },
          { requiredKeys: [] },
        ),
        fc.anything(),
      ),
      at: fc.oneof(fc.constant('2026-05-01T10:00:00Z'), fc.anything()),
    });
    fc.assert(
      fc.property(
        sport,
        fc.array(
          fc.oneof(
            action.map((a) => ({ a })),
            damaged.map((d) => ({ d })),
          ),
          { maxLength: 80 },
        ),
        (sp, items) => {
          const events: FoldableEvent[] = [stamp({ type: 'MATCH_START', payload: {} }, 1)];
          for (const item of items) {
            const draft = 'a' in item ? draftFor(sp, item.a, events.length) : (item.d as unknown as Draft);
            if (draft)
              events.push({
                ...stamp(draft, events.length + 1),
                ...('d' in item ? { at: item.d.at } : {}),
              } as FoldableEvent);
          }
          const snap = foldMatch(testMeta(sp), events);
          for (const n of [
            snap.home.score,
            snap.away.score,
            snap.setsWon.home,
            snap.setsWon.away,
            snap.tally.home.fouls,
          ])
            expect(Number.isInteger(n)).toBe(true);
          expect(JSON.stringify(foldMatch(testMeta(sp), events))).toBe(JSON.stringify(snap));
          const reducer = new MatchReducer(testMeta(sp));
          for (const e of events) reducer.apply(e);
          expect(JSON.stringify(reducer.snapshot())).toBe(JSON.stringify(snap));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the reducer answers VALIDATION, naming the field, for an event it cannot read', () => {
    const reducer = new MatchReducer(testMeta('generic'));
    reducer.apply(stamp({ type: 'MATCH_START', payload: {} }, 1));
    const bad = { seq: 2, type: 'SCORE_UPDATE', payload: { side: 'left' }, at: '2026-05-01T10:00:00Z' };
    expect(reducer.check(bad as unknown as FoldableEvent)).toEqual({
      ok: false,
      code: 'VALIDATION',
      message: 'payload.side: not home or away',
    });
  });
});

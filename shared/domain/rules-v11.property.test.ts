/**
 * The reducer agrees with the fold, byte for byte, over random histories that use the
 * v1.1 rules: doubles choices, time-outs against their allowance, player fouls, score
 * overrides and corrections of any of them (accepted or refused by the rules).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatchMeta } from '../match.js';
import { foldMatch } from './fold.js';
import { MatchReducer } from './reducer.js';
import { testMeta } from '../../test/support/domain-scorer.js';
import type { FoldableEvent } from './types.js';

const BASE_MS = Date.parse('2026-05-01T10:00:00.000Z');

function doubles(meta: MatchMeta): MatchMeta {
  meta.home = { name: 'H', players: ['H1', 'H2'] };
  meta.away = { name: 'A', players: ['A1', 'A2'] };
  return meta;
}

const METAS: MatchMeta[] = [
  doubles(testMeta('badminton', { doubles: true, scoring: '5x11' })),
  doubles(testMeta('tennis', { doubles: true, finalSet: 'matchTiebreak10', noAd: true })),
  doubles(testMeta('table-tennis', { doubles: true, bestOf: 3 })),
  testMeta('volleyball', { variant: 'beach' }),
  testMeta('basketball', { foulLimit: 2 }),
];

const side = fc.constantFrom('home' as const, 'away' as const);
const action = fc.oneof(
  { weight: 20, arbitrary: fc.record({ t: fc.constant('point' as const), side }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('timeout' as const), side }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('foul' as const), side, player: fc.constantFrom('4', '5') }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('override' as const), home: fc.nat(12), away: fc.nat(12), serving: side }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('choose' as const), player: fc.constantFrom('H2', 'A2') }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('period' as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('correct' as const), back: fc.nat(6) }) },
);

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

function draft(a: Action, lastSeq: number): Omit<FoldableEvent, 'seq' | 'at'> {
  switch (a.t) {
    case 'point':
      return { type: 'SCORE_UPDATE', payload: { side: a.side } };
    case 'timeout':
      return { type: 'EVENT_ADDED', payload: { kind: 'timeout', side: a.side } };
    case 'foul':
      return { type: 'EVENT_ADDED', payload: { kind: 'foul', side: a.side, player: a.player } };
    case 'override':
      return {
        type: 'SCORE_OVERRIDE',
        payload: { reason: 'sheet', home: { points: a.home }, away: { points: a.away }, serving: a.serving },
      };
    case 'choose':
      return { type: 'PERIOD_START', payload: { firstServerPlayer: a.player } };
    case 'period':
      return { type: 'PERIOD_END', payload: {} };
    case 'correct':
      return { type: 'CORRECTION', payload: { undoes: Math.max(1, lastSeq - a.back) } };
  }
}

describe.each(METAS)('reducer = fold with the v1.1 rules: $sport', (meta) => {
  it('after every event, accepted or refused', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 150 }), (actions) => {
        const reducer = new MatchReducer(meta);
        const start = {
          seq: 1,
          type: 'MATCH_START',
          payload: {},
          at: new Date(BASE_MS).toISOString(),
        } as FoldableEvent;
        reducer.apply(start);
        for (const a of actions) {
          const seq = reducer.lastSeq + 1;
          const event = { ...draft(a, reducer.lastSeq), seq, at: new Date(BASE_MS + seq * 1000).toISOString() };
          // Refused events are stored too (a damaged or corrected history): both must skip them alike.
          reducer.apply(event as FoldableEvent);
          expect(JSON.stringify(foldMatch(meta, reducer.events()))).toBe(JSON.stringify(reducer.snapshot()));
        }
      }),
      { numRuns: 80 },
    );
  });
});

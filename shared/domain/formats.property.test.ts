/**
 * Properties of every match format of contract v1.1: from any reachable score a run of
 * points ends the match (every format ends every match), and a match is never finished
 * before a side has won the sets the format needs (it never ends early). Also: the
 * officials' calls last exactly one event, and the fold agrees with the reducer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Side, Sport } from '../events.js';
import type { MatchOptions } from '../match.js';
import { foldMatch } from './fold.js';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';

const RUNS = 60;

interface Format {
  sport: Sport;
  options: MatchOptions;
  setsToWin: number;
  /** Enough consecutive points to win the match from any score (sets x points per set, with margin). */
  runToEnd: number;
}

const FORMATS: Format[] = [
  ...[3, 5].flatMap((bestOf) =>
    (['advantage', 'tiebreak7', 'tiebreak10', 'matchTiebreak10'] as const).flatMap((finalSet) =>
      [false, true].map((noAd) => ({
        sport: 'tennis' as const,
        options: { bestOf, finalSet, noAd },
        setsToWin: (bestOf + 1) / 2,
        runToEnd: bestOf * 8 * 4 + 40,
      })),
    ),
  ),
  { sport: 'badminton', options: { scoring: '3x21' }, setsToWin: 2, runToEnd: 3 * 31 },
  { sport: 'badminton', options: { scoring: '5x11' }, setsToWin: 3, runToEnd: 5 * 16 },
  ...[3, 5, 7].map((bestOf) => ({
    sport: 'table-tennis' as const,
    options: { bestOf },
    setsToWin: (bestOf + 1) / 2,
    runToEnd: bestOf * 40,
  })),
  { sport: 'volleyball', options: { variant: 'indoor' }, setsToWin: 3, runToEnd: 5 * 40 },
  { sport: 'volleyball', options: { variant: 'beach' }, setsToWin: 2, runToEnd: 3 * 40 },
];

const rallies = fc.array(fc.constantFrom<Side>('home', 'away'), { maxLength: 400 });

describe.each(FORMATS)('$sport $options', (format) => {
  it('never ends early, and a run of points from any score ends the match', () => {
    fc.assert(
      fc.property(rallies, fc.constantFrom<Side>('home', 'away'), (prefix, runner) => {
        const s = new Scorer(testMeta(format.sport, format.options)).start();
        const check = () => {
          const snap = s.snap;
          const best = Math.max(snap.setsWon.home, snap.setsWon.away);
          if (snap.status === 'finished') {
            expect(snap.winner).not.toBeNull();
            expect(snap.setsWon[snap.winner!]).toBe(format.setsToWin);
          } else expect(best).toBeLessThan(format.setsToWin);
        };
        for (const side of prefix) {
          if (s.snap.status === 'finished') break;
          s.point(side);
          check();
        }
        for (let i = 0; i < format.runToEnd && s.snap.status !== 'finished'; i++) {
          s.point(runner);
          check();
        }
        expect(s.snap.status).toBe('finished');
        expect(JSON.stringify(foldMatch(s.reducer.meta, s.reducer.events()))).toBe(JSON.stringify(s.snap));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('calls last one event', () => {
  it('changeEnds and interval are cleared by the next event whatever it is', () => {
    fc.assert(
      fc.property(rallies, (prefix) => {
        const s = new Scorer(testMeta('badminton')).start();
        for (const side of prefix) {
          if (s.snap.status === 'finished') return;
          s.point(side);
          if (s.snap.changeEnds || s.snap.interval) {
            s.send({ type: 'EVENT_ADDED', payload: { kind: 'note', text: 'ok' } });
            expect(s.snap.changeEnds).toBe(false);
            expect(s.snap.interval).toBeNull();
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('basketball', () => {
  it('ends at the end of the fourth quarter or an overtime with a leader, never level', () => {
    const quarter = fc.array(
      fc.record({ side: fc.constantFrom<Side>('home', 'away'), points: fc.integer({ min: 1, max: 3 }) }),
      {
        maxLength: 30,
      },
    );
    fc.assert(
      fc.property(fc.array(quarter, { minLength: 8, maxLength: 8 }), (periods) => {
        const s = new Scorer(testMeta('basketball')).start();
        for (let p = 0; p < periods.length && s.snap.status !== 'finished'; p++) {
          if (p > 0) s.send({ type: 'PERIOD_START', payload: {} });
          for (const { side, points } of periods[p]!) s.point(side, points);
          // The last overtime of the test is never level, so the match must end by it.
          if (p === periods.length - 1 && s.snap.home.score === s.snap.away.score) s.point('home');
          s.send({ type: 'PERIOD_END', payload: {} });
          const level = s.snap.home.score === s.snap.away.score;
          if (p >= 3) expect((s.snap.status as string) === 'finished').toBe(!level);
          else expect(s.snap.status).toBe('live');
        }
        expect(s.snap.status as string).toBe('finished');
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * SCORE_OVERRIDE (contract v1.1): sets the state directly, play goes on by the rules
 * from there, a CORRECTION of it restores what was before, and it is refused without a
 * reason (VALIDATION at the schema) or with a state the rules cannot reach (RULES).
 */
import { describe, expect, it } from 'vitest';
import { matchEventSchema } from '../events.js';
import { foldMatch } from './fold.js';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';

const at = '2026-05-01T10:00:00.000Z';

describe('SCORE_OVERRIDE', () => {
  it('needs a non-empty reason (VALIDATION at the schema)', () => {
    const base = { seq: 2, type: 'SCORE_OVERRIDE', at, payload: { home: { points: 1 }, away: { points: 0 } } };
    expect(matchEventSchema.safeParse(base).success).toBe(false);
    expect(matchEventSchema.safeParse({ ...base, payload: { ...base.payload, reason: '  ' } }).success).toBe(false);
    expect(matchEventSchema.safeParse({ ...base, payload: { ...base.payload, reason: 'paper sheet' } }).success).toBe(
      true,
    );
  });

  it('tennis: sets, games and points from a paper sheet; play continues; the correction restores', () => {
    const s = new Scorer(testMeta('tennis')).start().point('home');
    const before = s.snap;
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: {
        reason: 'console replaced, score from the umpire sheet',
        sets: [{ home: 7, away: 6, tiebreak: { home: 7, away: 5 } }],
        home: { points: 2, games: 5 },
        away: { points: 3, games: 4 },
        serving: 'away',
      },
    });
    expect(s.snap.sets).toEqual([{ home: 7, away: 6, tiebreak: { home: 7, away: 5 } }]);
    expect(s.snap.setsWon).toEqual({ home: 1, away: 0 });
    expect(s.snap.games).toEqual({ home: 5, away: 4 });
    expect(s.snap.points).toEqual({ home: '30', away: '40' });
    expect(s.snap.serving).toBe('away');
    expect(s.snap.overrides).toEqual([
      { seq: 3, at: s.snap.updatedAt, reason: 'console replaced, score from the umpire sheet' },
    ]);
    s.point('away'); // away wins the game: 5-5, home serves
    expect(s.snap.games).toEqual({ home: 5, away: 5 });
    expect(s.snap.serving).toBe('home');
    s.send({ type: 'CORRECTION', payload: { undoes: 3 } });
    const after = s.snap;
    expect(after.sets).toEqual(before.sets);
    expect(after.points).toEqual({ home: '15', away: '15' }); // the point after the override still counts
    expect(after.overrides).toEqual([]);
  });

  it('badminton: the current game only, and the rules take over (29-29: next point wins)', () => {
    const s = new Scorer(testMeta('badminton')).start();
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: {
        reason: 'restart',
        sets: [{ home: 21, away: 19 }],
        home: { points: 29 },
        away: { points: 29 },
        serving: 'home',
      },
    });
    expect(s.snap.matchPoint).toBe('home');
    s.point('home');
    expect(s.snap.winner).toBe('home');
    expect(s.snap.sets).toEqual([
      { home: 21, away: 19 },
      { home: 30, away: 29 },
    ]);
  });

  it('table tennis: the server at the overridden score is the one named', () => {
    const s = new Scorer(testMeta('table-tennis')).start('home');
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: { reason: 'paper', home: { points: 3 }, away: { points: 2 }, serving: 'away' },
    });
    expect(s.snap.serving).toBe('away');
    s.point('home'); // 6 points: service changes
    expect(s.snap.serving).toBe('home');
  });

  it('basketball: totals and finished periods', () => {
    const s = new Scorer(testMeta('basketball')).start();
    s.send({ type: 'PERIOD_END', payload: {} }).send({ type: 'PERIOD_START', payload: {} });
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: {
        reason: 'scoreboard failure',
        sets: [{ home: 20, away: 18 }],
        home: { points: 41 },
        away: { points: 30 },
      },
    });
    expect([s.snap.home.score, s.snap.away.score]).toEqual([41, 30]);
    s.send({ type: 'PERIOD_END', payload: {} });
    expect(s.snap.sets).toEqual([
      { home: 20, away: 18 },
      { home: 21, away: 12 },
    ]);
  });

  it('refuses what the rules cannot reach, naming the field', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    const o = (payload: object) =>
      s.try({ type: 'SCORE_OVERRIDE', payload: { reason: 'x', home: { points: 0 }, away: { points: 0 }, ...payload } });
    expect(o({ sets: [{ home: 25, away: 24 }] })).toMatchObject({
      code: 'RULES',
      message: expect.stringMatching(/sets\[0\]/),
    });
    expect(o({ sets: [{ home: 30, away: 20 }] })).toMatchObject({
      code: 'RULES',
      message: expect.stringMatching(/past the end/),
    });
    expect(o({ home: { points: 25 }, away: { points: 10 } })).toMatchObject({ code: 'RULES' });
    expect(
      o({
        sets: [
          { home: 25, away: 10 },
          { home: 25, away: 10 },
          { home: 25, away: 10 },
        ],
      }),
    ).toMatchObject({
      message: expect.stringMatching(/decides the match/),
    });
    expect(o({ home: { points: 3, games: 2 } })).toMatchObject({ message: expect.stringMatching(/no games/) });
    const t = new Scorer(testMeta('tennis')).start();
    const to = (payload: object) =>
      t.try({ type: 'SCORE_OVERRIDE', payload: { reason: 'x', home: { points: 0 }, away: { points: 0 }, ...payload } });
    expect(to({ sets: [{ home: 6, away: 5 }] })).toMatchObject({ code: 'RULES' });
    expect(to({ home: { points: 0, games: 6 }, away: { points: 0, games: 2 } })).toMatchObject({ code: 'RULES' });
    expect(to({ home: { points: 5 }, away: { points: 3 } })).toMatchObject({ code: 'RULES' });
    expect(
      new Scorer(testMeta('tennis')).try({
        type: 'SCORE_OVERRIDE',
        payload: { reason: 'x', home: { points: 0 }, away: { points: 0 } },
      }),
    ).toMatchObject({
      code: 'RULES',
      message: expect.stringMatching(/start it first/),
    });
  });

  it('the fold and the reducer agree on an override history', () => {
    const s = new Scorer(testMeta('tennis', { noAd: true })).start();
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: { reason: 'r', home: { points: 3, games: 6 }, away: { points: 2, games: 6 } },
    });
    s.point('away').point('away');
    expect(JSON.stringify(foldMatch(s.reducer.meta, s.reducer.events()))).toBe(JSON.stringify(s.snap));
  });
});

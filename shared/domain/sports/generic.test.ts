import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

describe('generic sport', () => {
  it('adds points, records periods, and ends level as a draw', () => {
    const s = new Scorer(testMeta('generic')).start();
    s.point('home', 3).point('away').point('away', 2);
    s.send({ type: 'PERIOD_END', payload: {} }).send({ type: 'PERIOD_START', payload: {} });
    s.point('home');
    expect(s.snap.sets).toEqual([{ home: 3, away: 3 }]);
    expect(s.snap.period).toBe(2);
    s.point('away');
    s.send({ type: 'MATCH_END', payload: {} });
    expect(s.snap.sets).toEqual([
      { home: 3, away: 3 },
      { home: 1, away: 1 },
    ]);
    expect([s.snap.home.score, s.snap.away.score]).toEqual([4, 4]);
    expect(s.snap.winner).toBeNull();
    expect(s.snap.serving).toBeNull();
  });

  it('names the leader as winner at MATCH_END, and sets the period clock when configured', () => {
    const s = new Scorer(testMeta('generic', { periodLengthMs: 1_200_000 })).start();
    expect(s.snap.clock.remainingMs).toBe(1_200_000);
    s.point('away').send({ type: 'MATCH_END', payload: {} });
    expect(s.snap.winner).toBe('away');
  });

  it('set sports refuse period events', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    expect(s.try({ type: 'PERIOD_END', payload: {} })).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/no periods/),
    });
  });
});

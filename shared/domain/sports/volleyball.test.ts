import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

describe('volleyball (indoor)', () => {
  it('a set reaching 24-24 goes on to 26-24, with set point flipping', () => {
    const s = new Scorer(testMeta('volleyball')).start('home');
    s.level(23).point('away');
    expect(s.snap.setPoint).toBe('away');
    s.point('home');
    expect(s.snap.home.score).toBe(24);
    expect(s.snap.setPoint).toBeNull();
    s.point('home');
    expect(s.snap.setPoint).toBe('home');
    s.point('home');
    expect(s.snap.sets).toEqual([{ home: 26, away: 24 }]);
    expect(s.snap.setsWon).toEqual({ home: 1, away: 0 });
    expect(s.snap.home.score).toBe(0);
    expect(s.snap.period).toBe(2);
  });

  it('the serve goes to the rally winner, and the first serve alternates by set', () => {
    const s = new Scorer(testMeta('volleyball')).start('away');
    expect(s.snap.serving).toBe('away');
    s.point('home');
    expect(s.snap.serving).toBe('home');
    s.point('away');
    expect(s.snap.serving).toBe('away');
    s.run('away', 24);
    expect(s.snap.setsWon.away).toBe(1);
    expect(s.snap.serving).toBe('home'); // set 2: the other team serves first
  });

  it('the fifth set is played to 15 and wins the match, with match point on the way', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    s.run('home', 25).run('away', 25).run('home', 25).run('away', 25);
    expect(s.snap.setsWon).toEqual({ home: 2, away: 2 });
    s.level(13);
    s.point('home');
    expect(s.snap.matchPoint).toBe('home');
    expect(s.snap.status).toBe('live');
    s.point('home');
    expect(s.snap.sets[4]).toEqual({ home: 15, away: 13 });
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('home');
    expect(s.snap.serving).toBeNull();
    expect(s.try({ type: 'SCORE_UPDATE', payload: { side: 'away' } })).toMatchObject({ ok: false, code: 'RULES' });
  });

  it('match point only in the set that can decide the match', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    s.run('home', 24);
    expect(s.snap.setPoint).toBe('home');
    expect(s.snap.matchPoint).toBeNull();
    s.point('home').run('home', 25).run('home', 24);
    expect(s.snap.matchPoint).toBe('home');
  });

  it('beach: sets to 21, the third to 15, best of three', () => {
    const s = new Scorer(testMeta('volleyball', { variant: 'beach' })).start();
    s.run('home', 21);
    expect(s.snap.setsWon.home).toBe(1);
    s.run('away', 21).run('away', 14);
    expect(s.snap.matchPoint).toBe('away');
    s.point('away');
    expect(s.snap.sets).toEqual([
      { home: 21, away: 0 },
      { home: 0, away: 21 },
      { home: 0, away: 15 },
    ]);
    expect(s.snap.winner).toBe('away');
  });

  it('refuses more than one point per rally', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    const verdict = s.try({ type: 'SCORE_UPDATE', payload: { side: 'home', points: 2 } });
    expect(verdict).toMatchObject({ ok: false, code: 'RULES' });
    expect(!verdict.ok && verdict.message).toMatch(/payload\.points/);
  });
});

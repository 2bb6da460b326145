import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

describe('badminton', () => {
  it('21-19 wins a game; 20-20 needs two clear', () => {
    const s = new Scorer(testMeta('badminton')).start();
    s.level(19).run('home', 2);
    expect(s.snap.sets).toEqual([{ home: 21, away: 19 }]);
    s.level(20);
    expect(s.snap.setPoint).toBeNull();
    s.point('away');
    expect(s.snap.setPoint).toBe('away');
    s.point('home').point('home').point('home');
    expect(s.snap.sets[1]).toEqual({ home: 23, away: 21 });
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('home');
  });

  it('is capped at 30: at 29-29 the next point wins, and the side serving has game point', () => {
    const s = new Scorer(testMeta('badminton')).start();
    s.level(29);
    expect(s.snap.home.score).toBe(29);
    expect(s.snap.serving).toBe('away');
    expect(s.snap.setPoint).toBe('away');
    s.point('home');
    expect(s.snap.sets).toEqual([{ home: 30, away: 29 }]);
  });

  it('30-29 ends a game outright', () => {
    const s = new Scorer(testMeta('badminton')).start();
    s.level(28).point('home').point('away').point('home');
    expect(s.snap.sets).toEqual([{ home: 30, away: 29 }]);
    expect(s.snap.setsWon).toEqual({ home: 1, away: 0 });
  });

  it('the rally winner serves, and the game winner serves first in the next game', () => {
    const s = new Scorer(testMeta('badminton')).start('home');
    expect(s.snap.serving).toBe('home');
    s.point('away');
    expect(s.snap.serving).toBe('away');
    s.run('away', 20);
    expect(s.snap.setsWon.away).toBe(1);
    expect(s.snap.serving).toBe('away');
    s.run('home', 21);
    expect(s.snap.serving).toBe('home');
    expect(s.snap.matchPoint).toBeNull();
    s.run('home', 20);
    expect(s.snap.matchPoint).toBe('home');
  });
});

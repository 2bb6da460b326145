import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

describe('table tennis', () => {
  it('service changes every two points', () => {
    const s = new Scorer(testMeta('table-tennis')).start('home');
    const servers: string[] = [];
    for (let i = 0; i < 8; i++) {
      servers.push(s.snap.serving!);
      s.point(i % 3 === 0 ? 'home' : 'away');
    }
    expect(servers).toEqual(['home', 'home', 'away', 'away', 'home', 'home', 'away', 'away']);
  });

  it('at 10-10 it is deuce: two clear needed, service changes every point', () => {
    const s = new Scorer(testMeta('table-tennis')).start('home');
    s.level(10);
    expect(s.snap.home.score).toBe(10);
    expect(s.snap.away.score).toBe(10);
    expect(s.snap.setPoint).toBeNull();
    // 20 points played: the rotation has come back to the first server.
    expect(s.snap.serving).toBe('home');
    s.point('home');
    expect(s.snap.serving).toBe('away');
    expect(s.snap.setPoint).toBe('home');
    s.point('away');
    expect(s.snap.serving).toBe('home');
    expect(s.snap.setPoint).toBeNull();
    s.point('away');
    expect(s.snap.serving).toBe('away');
    s.point('away');
    expect(s.snap.sets).toEqual([{ home: 11, away: 13 }]);
  });

  it('the first server alternates by game', () => {
    const s = new Scorer(testMeta('table-tennis')).start('away');
    expect(s.snap.serving).toBe('away');
    s.run('home', 11);
    expect(s.snap.setsWon.home).toBe(1);
    expect(s.snap.serving).toBe('home');
    s.run('home', 11);
    expect(s.snap.serving).toBe('away');
  });

  it('best of five by default, best of seven by option', () => {
    const five = new Scorer(testMeta('table-tennis')).start();
    five.run('home', 33);
    expect(five.snap.status).toBe('finished');
    expect(five.snap.setsWon).toEqual({ home: 3, away: 0 });

    const seven = new Scorer(testMeta('table-tennis', { bestOf: 7 })).start();
    seven.run('home', 33);
    expect(seven.snap.status).toBe('live');
    seven.run('home', 10);
    expect(seven.snap.matchPoint).toBe('home');
    seven.point('home');
    expect(seven.snap.winner).toBe('home');
    expect(seven.snap.sets).toHaveLength(4);
  });
});

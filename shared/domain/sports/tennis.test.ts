import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

/** Wins `n` games to love for `side`. */
function games(s: Scorer, side: 'home' | 'away', n: number): Scorer {
  return s.run(side, 4 * n);
}

describe('tennis', () => {
  it('calls points 15, 30, 40, then deuce and advantage', () => {
    const s = new Scorer(testMeta('tennis')).start();
    expect(s.snap.points).toEqual({ home: '0', away: '0' });
    s.point('home');
    expect(s.snap.points).toEqual({ home: '15', away: '0' });
    s.point('home').point('away');
    expect(s.snap.points).toEqual({ home: '30', away: '15' });
    s.point('away').point('away');
    expect(s.snap.points).toEqual({ home: '30', away: '40' });
    s.point('home');
    expect(s.snap.points).toEqual({ home: '40', away: '40' });
    s.point('home');
    expect(s.snap.points).toEqual({ home: 'AD', away: '40' });
    s.point('away');
    expect(s.snap.points).toEqual({ home: '40', away: '40' });
    s.point('away');
    expect(s.snap.points).toEqual({ home: '40', away: 'AD' });
    expect(s.snap.games).toEqual({ home: 0, away: 0 });
    s.point('away');
    expect(s.snap.games).toEqual({ home: 0, away: 1 });
    expect(s.snap.away.score).toBe(1); // the scoreboard's big number is games in the set
    expect(s.snap.points).toEqual({ home: '0', away: '0' });
  });

  it('the server alternates by game', () => {
    const s = new Scorer(testMeta('tennis')).start('away');
    expect(s.snap.serving).toBe('away');
    games(s, 'home', 1);
    expect(s.snap.serving).toBe('home');
    games(s, 'home', 1);
    expect(s.snap.serving).toBe('away');
  });

  it('a set is won 6-4, and 7-5 after 5-5', () => {
    const s = new Scorer(testMeta('tennis')).start();
    games(s, 'home', 5);
    games(s, 'away', 4);
    expect(s.snap.setPoint).toBeNull();
    s.run('home', 3);
    expect(s.snap.setPoint).toBe('home');
    s.point('home');
    expect(s.snap.sets).toEqual([{ home: 6, away: 4 }]);
    games(s, 'home', 5);
    games(s, 'away', 5);
    games(s, 'home', 1);
    expect(s.snap.games).toEqual({ home: 6, away: 5 });
    expect(s.snap.tiebreak).toBe(false);
    games(s, 'home', 1);
    expect(s.snap.sets[1]).toEqual({ home: 7, away: 5 });
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('home');
  });

  it('6-6 goes to a tie-break won 7-6 with two clear, with the 1-then-2-2 serve order', () => {
    const s = new Scorer(testMeta('tennis')).start('home');
    // Games alternate so each side holds serve: 6-6 after twelve games.
    for (let i = 0; i < 6; i++) games(s, 'home', 1) && games(s, 'away', 1);
    expect(s.snap.games).toEqual({ home: 6, away: 6 });
    expect(s.snap.tiebreak).toBe(true);
    // Twelve games played: home is due to serve the tie-break's first point.
    const servers: string[] = [];
    const sequence = 'hahahahahaha'; // 6-6 in the tie-break
    for (const c of sequence) {
      servers.push(s.snap.serving!);
      s.point(c === 'h' ? 'home' : 'away');
    }
    expect(servers).toEqual([
      'home',
      'away',
      'away',
      'home',
      'home',
      'away',
      'away',
      'home',
      'home',
      'away',
      'away',
      'home',
    ]);
    expect(s.snap.points).toEqual({ home: '6', away: '6' });
    expect(s.snap.setPoint).toBeNull();
    s.point('away');
    expect(s.snap.setPoint).toBe('away');
    s.point('home').point('home');
    expect(s.snap.setPoint).toBe('home');
    s.point('home');
    expect(s.snap.sets).toEqual([{ home: 7, away: 6, tiebreak: { home: 9, away: 7 } }]);
    expect(s.snap.games).toEqual({ home: 0, away: 0 });
    expect(s.snap.tiebreak).toBe(false);
    // Home served first in the tie-break, so away serves the next set's first game.
    expect(s.snap.serving).toBe('away');
  });

  it('a 7-5 tie-break closes the set 7-6', () => {
    const s = new Scorer(testMeta('tennis')).start();
    for (let i = 0; i < 6; i++) games(s, 'home', 1) && games(s, 'away', 1);
    s.level(5).run('home', 2);
    expect(s.snap.sets).toEqual([{ home: 7, away: 6, tiebreak: { home: 7, away: 5 } }]);
  });

  it('best of five needs three sets; match point comes on the last set point', () => {
    const s = new Scorer(testMeta('tennis', { bestOf: 5 })).start();
    games(s, 'away', 12);
    expect(s.snap.setsWon).toEqual({ home: 0, away: 2 });
    games(s, 'away', 5);
    s.run('away', 3);
    expect(s.snap.matchPoint).toBe('away');
    s.point('away');
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('away');
    expect(s.try({ type: 'SCORE_UPDATE', payload: { side: 'home' } })).toMatchObject({ ok: false, code: 'RULES' });
  });
});

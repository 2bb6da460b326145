/**
 * Tennis v1.1: no-ad, final-set formats, the match tie-break, change of ends (ITF Rules
 * of Tennis, Rule 10 and Appendix V) and the doubles service order (Rules 14, 15).
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

/** Wins `n` games in a row for `side` (love games). */
function games(s: Scorer, side: 'home' | 'away', n: number): Scorer {
  for (let i = 0; i < n; i++) s.run(side, 4);
  return s;
}

/** Plays the set to 6-6 from love: alternate games. */
function toSixAll(s: Scorer): Scorer {
  for (let i = 0; i < 6; i++) games(games(s, 'home', 1), 'away', 1);
  return s;
}

describe('tennis scoring formats', () => {
  it('Appendix V no-ad: at deuce the next point wins the game', () => {
    const s = new Scorer(testMeta('tennis', { noAd: true })).start().level(3);
    expect(s.snap.points).toEqual({ home: '40', away: '40' });
    s.point('away');
    expect(s.snap.games).toEqual({ home: 0, away: 1 });
  });

  it('finalSet advantage: no tie-break at 6-6 in the deciding set, two games clear', () => {
    const s = new Scorer(testMeta('tennis', { finalSet: 'advantage' })).start();
    games(s, 'home', 6);
    games(s, 'away', 6);
    toSixAll(s);
    expect(s.snap.tiebreak).toBe(false);
    games(s, 'home', 1);
    expect(s.snap.games).toEqual({ home: 7, away: 6 });
    games(s, 'home', 1);
    expect(s.snap.winner).toBe('home');
    expect(s.snap.sets[2]).toEqual({ home: 8, away: 6 });
  });

  it('finalSet tiebreak10: the deciding set tie-break goes to 10, two clear', () => {
    const s = new Scorer(testMeta('tennis', { finalSet: 'tiebreak10' })).start();
    games(s, 'home', 6);
    games(s, 'away', 6);
    toSixAll(s);
    expect(s.snap.tiebreak).toBe(true);
    s.level(8).run('home', 2);
    expect(s.snap.winner).toBe('home');
    expect(s.snap.sets[2]).toEqual({ home: 7, away: 6, tiebreak: { home: 10, away: 8 } });
  });

  it('finalSet matchTiebreak10 replaces the deciding set, recorded 1-0 with its points', () => {
    const s = new Scorer(testMeta('tennis', { finalSet: 'matchTiebreak10' })).start();
    games(s, 'home', 6);
    games(s, 'away', 6);
    expect(s.snap.tiebreak).toBe(true);
    expect(s.snap.points).toEqual({ home: '0', away: '0' });
    s.run('away', 9);
    expect(s.snap.matchPoint).toBe('away');
    s.run('home', 9);
    expect(s.snap.status).toBe('live');
    s.run('away', 2);
    expect(s.snap.sets[2]).toEqual({ home: 0, away: 1, tiebreak: { home: 9, away: 11 } });
    expect(s.snap.winner).toBe('away');
  });

  it('the match tie-break serve: due server one point, then two each', () => {
    const s = new Scorer(testMeta('tennis', { finalSet: 'matchTiebreak10' })).start('home');
    games(s, 'home', 6); // 6 games: home serves game 7
    games(s, 'away', 6); // 12 games: home serves the match tie-break first
    const servers: string[] = [s.snap.serving!];
    for (let i = 0; i < 5; i++) servers.push(s.point('home').snap.serving!);
    expect(servers).toEqual(['home', 'away', 'away', 'home', 'home', 'away']);
  });
});

describe('tennis change of ends (ITF Rule 10)', () => {
  it('after the first, third and every odd game of a set', () => {
    const s = new Scorer(testMeta('tennis')).start();
    const calls: boolean[] = [];
    for (let g = 0; g < 5; g++) calls.push(games(s, g % 2 === 0 ? 'home' : 'away', 1).snap.changeEnds === true);
    expect(calls).toEqual([true, false, true, false, true]);
    s.point('home');
    expect(s.snap.changeEnds).toBe(false);
  });

  it('a set ending on an even game total: no change; the next set changes after its first game', () => {
    const s = new Scorer(testMeta('tennis')).start();
    games(s, 'home', 6); // 6-0: 6 games, even
    expect(s.snap.changeEnds).toBe(false);
    games(s, 'home', 1);
    expect(s.snap.changeEnds).toBe(true);
  });

  it('every 6 points of a tie-break, and after the tie-break set (the 13th game)', () => {
    const s = new Scorer(testMeta('tennis', { bestOf: 5 })).start();
    toSixAll(s);
    s.level(2).point('home');
    expect(s.snap.changeEnds).toBe(false);
    s.point('away'); // 3-3: 6 points
    expect(s.snap.changeEnds).toBe(true);
    s.run('home', 4); // 7-3 wins the tie-break
    expect(s.snap.sets[0]).toEqual({ home: 7, away: 6, tiebreak: { home: 7, away: 3 } });
    expect(s.snap.changeEnds).toBe(true);
  });
});

describe('tennis doubles (ITF Rules 14 and 15)', () => {
  const meta = () => {
    const m = testMeta('tennis', { doubles: true });
    m.home = { name: 'Home', players: ['H1', 'H2'] };
    m.away = { name: 'Away', players: ['A1', 'A2'] };
    return m;
  };

  it('serves in the recorded order, receivers alternate point by point from the chosen first receiver', () => {
    const s = new Scorer(meta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', serverOrder: ['H2', 'A1', 'H1', 'A2'], firstReceiverPlayer: 'A2' },
    });
    expect([s.snap.servingPlayer, s.snap.receivingPlayer]).toEqual(['H2', 'A2']);
    s.point('home');
    expect([s.snap.servingPlayer, s.snap.receivingPlayer]).toEqual(['H2', 'A1']);
    const servers: string[] = [];
    for (let g = 0; g < 5; g++) {
      servers.push(s.snap.servingPlayer!);
      s.run('home', 4);
    }
    expect(servers).toEqual(['H2', 'A1', 'H1', 'A2', 'H2']);
  });

  it('the rotation carries through a tie-break: one point, then two each', () => {
    const s = new Scorer(meta()).start('home');
    toSixAll(s); // 12 games: order H1, A1, H2, A2 three times; the tie-break starts with H1
    const servers: string[] = [s.snap.servingPlayer!];
    for (let i = 0; i < 5; i++) servers.push(s.point('home').snap.servingPlayer!);
    expect(servers).toEqual(['H1', 'A1', 'A1', 'H2', 'H2', 'A2']);
  });

  it('a set starts with the pair that received last; PERIOD_START takes its choices, refuses wrong ones', () => {
    const s = new Scorer(meta()).start('home');
    games(games(games(s, 'home', 5), 'away', 1), 'home', 1); // 6-1: seven games, away serves set 2
    expect(s.snap.serving).toBe('away');
    expect(s.snap.servingPlayer).toBe('A2'); // the rotation goes on: H1 A1 H2 A2 H1 A1 H2, then A2
    expect(s.try({ type: 'PERIOD_START', payload: { firstServer: 'home' } })).toMatchObject({ code: 'RULES' });
    expect(s.try({ type: 'PERIOD_START', payload: { serverOrder: ['H1', 'A1', 'H2', 'A2'] } })).toMatchObject({
      code: 'RULES',
    });
    s.send({ type: 'PERIOD_START', payload: { serverOrder: ['A2', 'H1', 'A1', 'H2'], firstReceiverPlayer: 'H2' } });
    expect([s.snap.servingPlayer, s.snap.receivingPlayer]).toEqual(['A2', 'H2']);
  });
});

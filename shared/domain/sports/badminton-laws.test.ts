/**
 * Badminton v1.1 rules: 5x11 scoring, intervals, change of ends, service court and the
 * doubles service order. Facts from the BWF Laws of Badminton (cited per case) and from
 * bup's counting tests (phihag/bup, test/test_511_15_counting.js: 11-6, 12-10, 14-12,
 * 15-13 and 15-14 end a 5x11_15 game; 60 s between games).
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

const doublesMeta = () => {
  const meta = testMeta('badminton', { doubles: true });
  meta.home = { name: 'Home', players: ['H1', 'H2'] };
  meta.away = { name: 'Away', players: ['A1', 'A2'] };
  return meta;
};

describe('badminton 3x21 calls (BWF Laws 8 and 16)', () => {
  it('Law 16.2.1: a 60 s interval when the leader first reaches 11, for one event only', () => {
    const s = new Scorer(testMeta('badminton')).start().run('home', 10);
    expect(s.snap.interval).toBeNull();
    s.point('home');
    expect(s.snap.interval).toEqual({ reason: 'mid-game', seconds: 60 });
    expect(s.snap.changeEnds).toBe(false); // only in the deciding game (Law 8.1.3)
    s.point('away');
    expect(s.snap.interval).toBeNull();
    s.run('away', 10); // away reaches 11 second: no new interval
    expect(s.snap.interval).toBeNull();
  });

  it('Law 16.2.2 and 8.1.1: 120 s and change ends after a game; Law 8.1.3: ends at 11 in the third', () => {
    const s = new Scorer(testMeta('badminton')).start().run('home', 21);
    expect(s.snap.interval).toEqual({ reason: 'between-games', seconds: 120 });
    expect(s.snap.changeEnds).toBe(true);
    s.run('away', 21).run('away', 10);
    expect(s.snap.changeEnds).toBe(false);
    s.point('away');
    expect(s.snap.period).toBe(3);
    expect(s.snap.changeEnds).toBe(true);
    expect(s.snap.interval).toEqual({ reason: 'mid-game', seconds: 60 });
  });

  it('Law 10.1.2 / 10.1.3: the server serves from the right court on an even score, left on odd', () => {
    const s = new Scorer(testMeta('badminton')).start();
    expect(s.snap.serviceCourt).toBe('right');
    s.point('home');
    expect(s.snap.serviceCourt).toBe('left');
    s.point('away'); // away serves at 1
    expect(s.snap.serving).toBe('away');
    expect(s.snap.serviceCourt).toBe('left');
    s.point('away');
    expect(s.snap.serviceCourt).toBe('right');
  });
});

describe('badminton 5x11 (cap 15), as bup counts it', () => {
  it('11-6 wins a game, best of five, 60 s between games, no mid-game interval in games 1-4', () => {
    const s = new Scorer(testMeta('badminton', { scoring: '5x11' })).start().run('home', 6).run('away', 5);
    expect(s.snap.interval).toBeNull();
    s.run('home', 5);
    expect(s.snap.sets).toEqual([{ home: 11, away: 5 }]);
    expect(s.snap.interval).toEqual({ reason: 'between-games', seconds: 60 });
    expect(s.snap.changeEnds).toBe(true);
  });

  it('two clear up to the cap: 12-10, 14-12, 15-13 and 15-14 end games', () => {
    const s = new Scorer(testMeta('badminton', { scoring: '5x11' })).start();
    s.level(10).run('away', 2);
    s.level(12).run('away', 2);
    s.level(13).run('away', 2);
    expect(s.snap.sets).toEqual([
      { home: 10, away: 12 },
      { home: 12, away: 14 },
      { home: 13, away: 15 },
    ]);
    expect(s.snap.winner).toBe('away');
    const capped = new Scorer(testMeta('badminton', { scoring: '5x11' })).start().level(14).point('away');
    expect(capped.snap.sets).toEqual([{ home: 14, away: 15 }]);
  });

  it('fifth game: mid-game interval and change of ends at 6', () => {
    const s = new Scorer(testMeta('badminton', { scoring: '5x11' })).start();
    s.run('home', 11).run('away', 11).run('home', 11).run('away', 11).run('home', 5);
    expect(s.snap.period).toBe(5);
    s.point('home');
    expect(s.snap.interval).toEqual({ reason: 'mid-game', seconds: 60 });
    expect(s.snap.changeEnds).toBe(true);
  });
});

describe('badminton doubles (BWF Law 11)', () => {
  it('the serving side changes courts only when it wins a rally as server', () => {
    const s = new Scorer(doublesMeta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'H2', firstReceiverPlayer: 'A1' },
    });
    expect([s.snap.servingPlayer, s.snap.receivingPlayer, s.snap.serviceCourt]).toEqual(['H2', 'A1', 'right']);
    s.point('home'); // 1-0: H2 changes to the left court and serves to A2
    expect([s.snap.servingPlayer, s.snap.receivingPlayer, s.snap.serviceCourt]).toEqual(['H2', 'A2', 'left']);
    s.point('away'); // 1-1: service over, nobody moves; away's player in the left court (odd) serves
    expect([s.snap.servingPlayer, s.snap.receivingPlayer, s.snap.serviceCourt]).toEqual(['A2', 'H2', 'left']);
    s.point('away'); // 1-2: A2 moves to the right court
    expect([s.snap.servingPlayer, s.snap.receivingPlayer, s.snap.serviceCourt]).toEqual(['A2', 'H1', 'right']);
    s.point('home'); // 2-2: service over to home, even: the player in home's right court, H1
    expect([s.snap.servingPlayer, s.snap.receivingPlayer, s.snap.serviceCourt]).toEqual(['H1', 'A2', 'right']);
  });

  it('MATCH_START refuses a player of the wrong pair, and player choices in singles', () => {
    expect(
      new Scorer(doublesMeta()).try({ type: 'MATCH_START', payload: { firstServer: 'away', firstServerPlayer: 'H1' } }),
    ).toMatchObject({ code: 'RULES', message: expect.stringMatching(/H1 is not a player of away/) });
    expect(
      new Scorer(testMeta('badminton')).try({ type: 'MATCH_START', payload: { firstServerPlayer: 'H1' } }),
    ).toMatchObject({ code: 'RULES', message: expect.stringMatching(/only doubles/) });
  });

  it('PERIOD_START records the next game choices; a name from the wrong pair is refused', () => {
    const s = new Scorer(doublesMeta()).start().run('away', 21);
    expect(s.try({ type: 'PERIOD_START', payload: { firstServerPlayer: 'H1' } })).toMatchObject({ code: 'RULES' });
    s.send({ type: 'PERIOD_START', payload: { firstServerPlayer: 'A2', firstReceiverPlayer: 'H2' } });
    expect([s.snap.servingPlayer, s.snap.receivingPlayer]).toEqual(['A2', 'H2']);
    s.point('away');
    expect(s.try({ type: 'PERIOD_START', payload: {} })).toMatchObject({ code: 'RULES' });
  });
});

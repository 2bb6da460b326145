/**
 * Table tennis v1.1: best of 3/5/7, change of ends and the interval (ITTF Handbook 2.15,
 * 3.4.4.1), and the doubles order of serving and receiving (ITTF 2.13.2, 2.14.2),
 * checked against the serve-order table the ITTF umpires' handbook gives for doubles.
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

const doublesMeta = (bestOf = 5) => {
  const meta = testMeta('table-tennis', { doubles: true, bestOf });
  meta.home = { name: 'Home', players: ['A1', 'A2'] };
  meta.away = { name: 'Away', players: ['B1', 'B2'] };
  return meta;
};

const order = (s: Scorer) => `${s.snap.servingPlayer}>${s.snap.receivingPlayer}`;

describe('table tennis calls', () => {
  it('ITTF 2.15 / 3.4.4.1: ends and a 60 s interval after each game; ends at 5 in the deciding game', () => {
    const s = new Scorer(testMeta('table-tennis', { bestOf: 3 })).start().run('home', 11);
    expect(s.snap.changeEnds).toBe(true);
    expect(s.snap.interval).toEqual({ reason: 'between-games', seconds: 60 });
    s.run('away', 11).run('home', 4);
    expect(s.snap.changeEnds).toBe(false);
    s.point('home');
    expect(s.snap.changeEnds).toBe(true);
    s.run('away', 5); // away's 5 comes second: no further change
    expect(s.snap.changeEnds).toBe(false);
  });

  it('best of 7 needs four games', () => {
    const s = new Scorer(testMeta('table-tennis', { bestOf: 7 })).start();
    for (let g = 0; g < 3; g++) s.run('home', 11);
    expect(s.snap.status).toBe('live');
    s.run('home', 11);
    expect(s.snap.winner).toBe('home');
  });
});

describe('table tennis doubles (ITTF 2.13.2, 2.14.2)', () => {
  it('each server serves to the next in the cycle A1>B1, B1>A2, A2>B2, B2>A1, two points each', () => {
    const s = new Scorer(doublesMeta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'A1', firstReceiverPlayer: 'B1' },
    });
    const seen: string[] = [order(s)];
    for (let i = 0; i < 8; i++) seen.push(order(s.point(i % 2 === 0 ? 'home' : 'away')));
    expect(seen.filter((_, i) => i % 2 === 0)).toEqual(['A1>B1', 'B1>A2', 'A2>B2', 'B2>A1', 'A1>B1']);
  });

  it('2.13.2: in the next game the first receiver is who served to the chosen first server', () => {
    const s = new Scorer(doublesMeta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'A1', firstReceiverPlayer: 'B1' },
    });
    s.run('home', 11);
    // Game 2: away serves first; if B1 serves, A1 (who served to B1) receives... B1 received from A1.
    s.send({ type: 'PERIOD_START', payload: { firstServerPlayer: 'B1' } });
    expect(order(s)).toBe('B1>A1');
    const other = new Scorer(doublesMeta()).start().run('home', 11);
    expect(
      other.try({ type: 'PERIOD_START', payload: { firstServerPlayer: 'B2', firstReceiverPlayer: 'A1' } }),
    ).toMatchObject({
      code: 'RULES',
      message: expect.stringMatching(/A2 receives first/),
    });
    other.send({ type: 'PERIOD_START', payload: { firstServerPlayer: 'B2' } });
    expect(order(other)).toBe('B2>A2');
  });

  it('2.14.2: in the deciding game the receiving pair changes its order when a pair first reaches 5', () => {
    const s = new Scorer(doublesMeta(3)).start().run('home', 11).run('away', 11);
    s.send({ type: 'PERIOD_START', payload: { firstServerPlayer: 'A1' } });
    expect(order(s)).toBe('A1>B1');
    s.run('home', 4); // 4-0: A1>B1, A1>B1, B1>A2, B1>A2; next A2>B2
    expect(order(s)).toBe('A2>B2');
    s.point('home'); // 5-0: A2 still serves; B pair swaps its order: A2 now serves to B1
    expect(s.snap.changeEnds).toBe(true);
    expect(order(s)).toBe('A2>B1');
    s.point('home'); // turn: B1 serves to A1 (cycle A2>B1>A1>B2)
    expect(order(s)).toBe('B1>A1');
  });
});

describe('table tennis doubles after a SCORE_OVERRIDE', () => {
  const override = (s: Scorer, home: number, away: number, serving: 'home' | 'away') =>
    s.send({
      type: 'SCORE_OVERRIDE',
      payload: { reason: 'paper sheet', home: { points: home }, away: { points: away }, serving },
    });

  /** Game 3 (deciding, best of 3) with A1 serving first to the receiver ITTF 2.13.2 gives. */
  const decidingGame = () => {
    const s = new Scorer(doublesMeta(3)).start().run('home', 11).run('away', 11);
    return s.send({ type: 'PERIOD_START', payload: { firstServerPlayer: 'A1' } });
  };

  it("keeps the game's choices: an override within the game does not reset to the first-listed players", () => {
    const s = new Scorer(doublesMeta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'A2', firstReceiverPlayer: 'B2' },
    });
    const played = new Scorer(doublesMeta()).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'A2', firstReceiverPlayer: 'B2' },
    });
    played.rallies('hhaah'); // 3-2: the cycle A2>B2>A1>B1, turn 2: A1 serves to B1
    override(s, 3, 2, played.snap.serving!);
    expect(order(s)).toBe(order(played));
    expect(order(s)).toBe('A1>B1');
  });

  it('2.14.2: an override to the first 5 in the deciding game applies the receivers\u2019 change, as if played', () => {
    const played = decidingGame().rallies('hhaahhh'); // home first reaches 5 at 5-2
    const s = decidingGame();
    override(s, 5, 2, played.snap.serving!);
    expect(order(s)).toBe(order(played));
    for (const side of ['home', 'away', 'away', 'home', 'away'] as const) {
      played.point(side);
      s.point(side);
      expect(order(s)).toBe(order(played));
    }
  });

  it('an override back below 5 undoes the change; reaching 5 again by play makes it again', () => {
    const s = decidingGame().rallies('hhaahhh');
    const played = decidingGame().rallies('hhaah');
    override(s, 3, 2, played.snap.serving!);
    expect(order(s)).toBe(order(played));
    s.rallies('hh');
    played.rallies('hh');
    expect(order(s)).toBe(order(played));
  });

  it('an override that is not the deciding game makes no change at 5', () => {
    const played = new Scorer(doublesMeta()).start().rallies('hhaahhh');
    const s = new Scorer(doublesMeta()).start();
    override(s, 5, 2, played.snap.serving!);
    expect(order(s)).toBe(order(played));
  });
});

/**
 * Table tennis order of serving and receiving, row by row, from a public serve-order table:
 * swavekl/AuroraTMSJava2, client/src/app/shared/serve-order/order-of-serving-calculator.spec.ts
 * (a best-of-5 doubles match and a singles match; its facts, restated here as our own table).
 * Rules behind the rows: ITTF Handbook 2.13.2 (doubles: each server serves to the next in the
 * cycle; in a later game the first receiver is the player who served to the chosen first
 * server in the game before), 2.13.3 (two points each, one each from 10-10), 2.13.4 (the
 * pair or player serving first in a game receives first in the next), 2.14.2 (in the deciding
 * game the pair due to receive changes its order when a pair first reaches 5) and 2.15 (ends
 * change after each game and at 5 in the deciding game).
 *
 * Our names: home is the table's side A (players A, B), away its side X (players X, Y).
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

interface Game {
  /** Doubles: the server chosen for the game (PERIOD_START), and the first receiver that must follow. */
  server?: string;
  receiver?: string;
  /** "home-away who" rows; who is "server>receiver" (doubles) or the server's letter (singles). */
  rows: string;
  /** The side that wins the game from its last row. */
  winner: 'home' | 'away';
}

const DOUBLES: Game[] = [
  {
    rows: `0-0 A>X, 0-1 A>X, 1-1 X>B, 2-1 X>B, 3-1 B>Y, 3-2 B>Y, 3-3 Y>A, 3-4 Y>A, 3-5 A>X, 3-6 A>X,
      4-6 X>B, 5-6 X>B, 6-6 B>Y, 6-7 B>Y, 6-8 Y>A, 6-9 Y>A, 6-10 A>X`,
    winner: 'away',
  },
  {
    server: 'Y',
    receiver: 'B',
    rows: `0-0 Y>B, 1-0 Y>B, 2-0 B>X, 3-0 B>X, 3-1 X>A, 3-2 X>A, 3-3 A>Y, 3-4 A>Y, 4-4 Y>B, 5-4 Y>B,
      5-5 B>X, 6-5 B>X, 7-5 X>A, 7-6 X>A, 8-6 A>Y, 8-7 A>Y, 8-8 Y>B, 9-8 Y>B, 9-9 B>X, 9-10 B>X,
      10-10 X>A, 11-10 A>Y, 11-11 Y>B, 12-11 B>X`,
    winner: 'home',
  },
  {
    server: 'B',
    receiver: 'Y',
    rows: `0-0 B>Y, 0-1 B>Y, 1-1 Y>A, 1-2 Y>A, 2-2 A>X, 3-2 A>X, 4-2 X>B, 5-2 X>B, 6-2 B>Y, 7-2 B>Y,
      7-3 Y>A, 8-3 Y>A, 8-4 A>X, 9-4 A>X, 10-4 X>B, 10-5 X>B`,
    winner: 'home',
  },
  {
    server: 'X',
    receiver: 'A',
    rows: `0-0 X>A, 0-1 X>A, 1-1 A>Y, 1-2 A>Y, 2-2 Y>B, 3-2 Y>B, 4-2 B>X, 5-2 B>X, 6-2 X>A, 7-2 X>A,
      7-3 A>Y, 8-3 A>Y, 8-4 Y>B, 8-5 Y>B, 8-6 B>X, 8-7 B>X, 8-8 X>A, 8-9 X>A, 8-10 A>Y, 9-10 A>Y`,
    winner: 'away',
  },
  {
    // The deciding game: at 5-2 (A's pair first reaches 5) X goes on serving, now to A (2.14.2).
    server: 'B',
    receiver: 'Y',
    rows: `0-0 B>Y, 0-1 B>Y, 1-1 Y>A, 1-2 Y>A, 2-2 A>X, 3-2 A>X, 4-2 X>B, 5-2 X>A, 6-2 A>Y, 7-2 A>Y,
      7-3 Y>B, 8-3 Y>B, 8-4 B>X, 9-4 B>X, 10-4 X>A, 10-5 X>A, 10-6 A>Y`,
    winner: 'home',
  },
];

const SINGLES: Game[] = [
  {
    rows: `0-0 A, 0-1 A, 1-1 X, 2-1 X, 3-1 A, 3-2 A, 3-3 X, 3-4 X, 3-5 A, 3-6 A, 4-6 X, 5-6 X, 6-6 A,
      6-7 A, 6-8 X, 6-9 X, 6-10 A`,
    winner: 'away',
  },
  {
    rows: `0-0 X, 1-0 X, 2-0 A, 3-0 A, 3-1 X, 3-2 X, 3-3 A, 3-4 A, 4-4 X, 5-4 X, 5-5 A, 6-5 A, 7-5 X,
      7-6 X, 8-6 A, 8-7 A, 8-8 X, 9-8 X, 9-9 A, 9-10 A, 10-10 X, 11-10 A, 11-11 X, 12-11 A`,
    winner: 'home',
  },
  {
    rows: `0-0 A, 0-1 A, 1-1 X, 1-2 X, 2-2 A, 3-2 A, 4-2 X, 5-2 X, 6-2 A, 7-2 A, 7-3 X, 8-3 X, 8-4 A,
      9-4 A, 10-4 X, 10-5 X`,
    winner: 'home',
  },
  {
    rows: `0-0 X, 0-1 X, 1-1 A, 1-2 A, 2-2 X, 3-2 X, 4-2 A, 5-2 A, 6-2 X, 7-2 X, 7-3 A, 8-3 A, 8-4 X,
      8-5 X, 8-6 A, 8-7 A, 8-8 X, 8-9 X, 8-10 A, 9-10 A`,
    winner: 'away',
  },
  {
    rows: `0-0 A, 0-1 A, 1-1 X, 1-2 X, 2-2 A, 3-2 A, 4-2 X, 5-2 X, 6-2 A, 7-2 A, 7-3 X, 8-3 X, 8-4 A,
      9-4 A, 10-4 X, 10-5 X, 10-6 A`,
    winner: 'home',
  },
];

interface Row {
  game: number;
  home: number;
  away: number;
  who: string;
}

function rowsOf(games: Game[]): Row[] {
  return games.flatMap((g, i) =>
    g.rows
      .split(',')
      .map((r) => r.trim().split(/\s+/))
      .map(([score, who]) => {
        const [home, away] = score!.split('-').map(Number);
        return { game: i + 1, home: home!, away: away!, who: who! };
      }),
  );
}

/** Plays the points from the current score to the row's score (rows step one point at a time). */
function reach(s: Scorer, home: number, away: number): void {
  const snap = s.snap;
  expect(home - snap.home.score + (away - snap.away.score)).toBeLessThanOrEqual(1);
  if (home > snap.home.score) s.point('home');
  if (away > snap.away.score) s.point('away');
}

const ALL_DOUBLES = rowsOf(DOUBLES);
const ALL_SINGLES = rowsOf(SINGLES);

describe('table tennis doubles, every row of the public table', () => {
  const meta = testMeta('table-tennis', { doubles: true, bestOf: 5 });
  meta.home = { name: 'A/B', players: ['A', 'B'] };
  meta.away = { name: 'X/Y', players: ['X', 'Y'] };

  it(`has ${ALL_DOUBLES.length} rows`, () => expect(ALL_DOUBLES.length).toBe(94));

  it('ITTF 2.13.2 / 2.14.2: server and receiver at each row, the game choices, the change at 5', () => {
    const s = new Scorer(meta).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', firstServerPlayer: 'A', firstReceiverPlayer: 'X' },
    });
    const seen: string[] = [];
    const expected: string[] = [];
    DOUBLES.forEach((g, i) => {
      if (i > 0) {
        // The first receiver follows from the chosen server; naming anyone else is refused.
        const pair = meta.home.players!.includes(g.receiver!) ? meta.home.players! : meta.away.players!;
        const partner = pair.find((p) => p !== g.receiver)!;
        expect(
          s.try({ type: 'PERIOD_START', payload: { firstServerPlayer: g.server!, firstReceiverPlayer: partner } }),
        ).toMatchObject({ ok: false, code: 'RULES', message: expect.stringMatching(/receives first/) });
        s.send({ type: 'PERIOD_START', payload: { firstServerPlayer: g.server! } });
        expect(s.snap.receivingPlayer).toBe(g.receiver);
      }
      for (const row of ALL_DOUBLES.filter((r) => r.game === i + 1)) {
        reach(s, row.home, row.away);
        seen.push(`g${row.game} ${row.home}-${row.away} ${s.snap.servingPlayer}>${s.snap.receivingPlayer}`);
        expected.push(`g${row.game} ${row.home}-${row.away} ${row.who}`);
        // ITTF 2.15: ends change at the first 5 in the deciding game (here 5-2), not before.
        if (row.game === 5) expect(s.snap.changeEnds).toBe(row.home === 5 && row.away === 2);
      }
      s.point(g.winner);
      if (i < DOUBLES.length - 1) expect(s.snap.changeEnds).toBe(true); // 2.15: after each game
    });
    expect(seen).toEqual(expected);
    expect(s.snap.winner).toBe('home');
    expect(s.snap.sets).toEqual([
      { home: 6, away: 11 },
      { home: 13, away: 11 },
      { home: 11, away: 5 },
      { home: 9, away: 11 },
      { home: 11, away: 6 },
    ]);
  });
});

describe('table tennis singles, every row of the public table', () => {
  it(`has ${ALL_SINGLES.length} rows`, () => expect(ALL_SINGLES.length).toBe(94));

  it('ITTF 2.13.3 / 2.13.4: two serves each, one each from 10-10; first server alternates by game', () => {
    const s = new Scorer(testMeta('table-tennis', { bestOf: 5 })).start('home');
    const seen: string[] = [];
    const expected: string[] = [];
    SINGLES.forEach((g, i) => {
      for (const row of ALL_SINGLES.filter((r) => r.game === i + 1)) {
        reach(s, row.home, row.away);
        seen.push(`g${row.game} ${row.home}-${row.away} ${s.snap.serving === 'home' ? 'A' : 'X'}`);
        expected.push(`g${row.game} ${row.home}-${row.away} ${row.who}`);
      }
      s.point(g.winner);
    });
    expect(seen).toEqual(expected);
    expect(s.snap.winner).toBe('home');
  });
});

/**
 * Tennis cases taken from a public tennis scorer's tests and from the ITF Rules of Tennis.
 * Facts only, restated as our own table (no code carried over):
 * - talktennisdata/pytennisscorer, tests/test_scoring.py (game: 15-30-40, deuce, advantage,
 *   back to deuce, the deciding point at deuce), tests/test_tiebreak.py (7-point and 10-point
 *   tie-breaks won and not yet won), tests/test_scorer.py (love sets, best of 3 and 5, the
 *   tie-break at 6-6 counted in numbers), tests/test_configs.py (the "doubles ATP tour" format:
 *   deciding point and a 10-point match tie-break in place of the deciding set).
 * - ITF Rules of Tennis: Rule 5b (tie-break: the player due serves one point, then two each;
 *   that player receives in the next set's first game), Rule 10 (ends after games 1, 3, 5...,
 *   after a set with an odd number of games, every 6 points of a tie-break), Rule 14
 *   (doubles: the four serve in turn, on through the tie-break), Appendix V (no-ad, match tie-break).
 */
import { describe, expect, it } from 'vitest';
import type { MatchOptions } from '../../match.js';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

/** Plays a compact script: 'h'/'a' a point, 'H'/'A' a love game, spaces ignored. */
function play(s: Scorer, script: string): Scorer {
  for (const c of script.replace(/\s/g, '')) {
    if (c === 'h' || c === 'a') s.point(c === 'h' ? 'home' : 'away');
    else s.run(c === 'H' ? 'home' : 'away', 4);
  }
  return s;
}

/** Six games all from love: alternate love games. */
const SIX_ALL = 'HA'.repeat(6);

interface Case {
  name: string;
  source: string;
  options?: MatchOptions;
  script: string;
  /** Expected parts of the snapshot. */
  expect: Record<string, unknown>;
}

const CASES: Case[] = [
  // Games (pytennisscorer tests/test_scoring.py)
  { name: '15-30-40', source: 'test_scoring.py', script: 'hhh', expect: { points: { home: '40', away: '0' } } },
  { name: '40-0 wins the game', source: 'test_scoring.py', script: 'hhhh', expect: { games: { home: 1, away: 0 } } },
  {
    name: '40-40 is deuce, not a game',
    source: 'test_scoring.py',
    script: 'hhhaaa',
    expect: { points: { home: '40', away: '40' }, games: { home: 0, away: 0 } },
  },
  {
    name: 'deuce, then advantage',
    source: 'test_scoring.py',
    script: 'hhhaaa h',
    expect: { points: { home: 'AD', away: '40' } },
  },
  {
    name: 'advantage, then game',
    source: 'test_scoring.py',
    script: 'hhhaaa hh',
    expect: { games: { home: 1, away: 0 } },
  },
  {
    name: 'advantage lost: back to deuce',
    source: 'test_scoring.py',
    script: 'hhhaaa ha',
    expect: { points: { home: '40', away: '40' } },
  },
  {
    name: 'deciding point at deuce wins',
    source: 'test_scoring.py',
    options: { noAd: true },
    script: 'hhhaaa a',
    expect: { games: { home: 0, away: 1 } },
  },
  { name: '4 points to 2 wins', source: 'test_scoring.py', script: 'hhaa hh', expect: { games: { home: 1, away: 0 } } },
  {
    name: '5 points to 3 wins',
    source: 'test_scoring.py',
    script: 'hhhaaa hh',
    expect: { games: { home: 1, away: 0 } },
  },
  // Tie-breaks (pytennisscorer tests/test_tiebreak.py, tests/test_scorer.py)
  {
    name: '6-6 is a tie-break counted 1, 2, 3',
    source: 'test_scorer.py',
    script: `${SIX_ALL} h`,
    expect: { tiebreak: true, points: { home: '1', away: '0' } },
  },
  {
    name: 'tie-break 7-0 wins the set',
    source: 'test_tiebreak.py',
    script: `${SIX_ALL} hhhhhhh`,
    expect: { sets: [{ home: 7, away: 6, tiebreak: { home: 7, away: 0 } }] },
  },
  {
    name: 'tie-break 7-5 wins',
    source: 'test_tiebreak.py',
    script: `${SIX_ALL} hahahahaha hh`,
    expect: { sets: [{ home: 7, away: 6, tiebreak: { home: 7, away: 5 } }] },
  },
  {
    name: 'tie-break 7-6 goes on',
    source: 'test_tiebreak.py',
    script: `${SIX_ALL} hahahahahaha h`,
    expect: { sets: [], points: { home: '7', away: '6' } },
  },
  {
    name: 'tie-break 8-6 wins',
    source: 'test_tiebreak.py',
    script: `${SIX_ALL} hahahahahaha hh`,
    expect: { sets: [{ home: 7, away: 6, tiebreak: { home: 8, away: 6 } }] },
  },
  {
    name: 'match tie-break 10-0 wins',
    source: 'test_tiebreak.py',
    options: { finalSet: 'matchTiebreak10' },
    script: 'HHHHHH AAAAAA hhhhhhhhhh',
    expect: {
      winner: 'home',
      sets: [
        { home: 6, away: 0 },
        { home: 0, away: 6 },
        { home: 1, away: 0, tiebreak: { home: 10, away: 0 } },
      ],
    },
  },
  {
    name: 'match tie-break 10-8 wins',
    source: 'test_tiebreak.py',
    options: { finalSet: 'matchTiebreak10' },
    script: `HHHHHH AAAAAA ${'ha'.repeat(8)} hh`,
    expect: { winner: 'home' },
  },
  {
    name: 'match tie-break 10-9 goes on',
    source: 'test_tiebreak.py',
    options: { finalSet: 'matchTiebreak10' },
    script: `HHHHHH AAAAAA ${'ha'.repeat(9)} h`,
    expect: { status: 'live', points: { home: '10', away: '9' } },
  },
  {
    name: 'match tie-break 11-9 wins',
    source: 'test_tiebreak.py',
    options: { finalSet: 'matchTiebreak10' },
    script: `HHHHHH AAAAAA ${'ha'.repeat(9)} hh`,
    expect: {
      winner: 'home',
      sets: [
        { home: 6, away: 0 },
        { home: 0, away: 6 },
        { home: 1, away: 0, tiebreak: { home: 11, away: 9 } },
      ],
    },
  },
  {
    name: '7-0 does not end a 10-point match tie-break',
    source: 'test_tiebreak.py',
    options: { finalSet: 'matchTiebreak10' },
    script: 'HHHHHH AAAAAA hhhhhhh',
    expect: { status: 'live', points: { home: '7', away: '0' } },
  },
  // Sets and matches (pytennisscorer tests/test_scorer.py, tests/test_configs.py)
  {
    name: 'six love games: set 6-0, set 2 at 0-0',
    source: 'test_scorer.py',
    script: 'HHHHHH',
    expect: { sets: [{ home: 6, away: 0 }], games: { home: 0, away: 0 }, status: 'live' },
  },
  {
    name: 'best of 3: two sets win',
    source: 'test_scorer.py',
    script: 'HHHHHH HHHHHH',
    expect: { winner: 'home', status: 'finished' },
  },
  {
    name: 'best of 5: two sets do not',
    source: 'test_scorer.py',
    options: { bestOf: 5 },
    script: 'HHHHHH HHHHHH',
    expect: { status: 'live', winner: null },
  },
  {
    name: 'best of 5: the third set wins',
    source: 'test_scorer.py',
    options: { bestOf: 5 },
    script: 'HHHHHH HHHHHH HHHHHH',
    expect: { winner: 'home' },
  },
  {
    name: 'two love sets are recorded 6-0 6-0',
    source: 'test_scorer.py',
    script: 'HHHHHH HHHHHH',
    expect: {
      sets: [
        { home: 6, away: 0 },
        { home: 6, away: 0 },
      ],
    },
  },
  {
    name: 'doubles ATP tour format: deciding point and match tie-break',
    source: 'test_configs.py',
    options: { noAd: true, finalSet: 'matchTiebreak10' },
    script: `hhhaaa a AAAAA HHHHHH ${'ha'.repeat(9)} aa`,
    expect: {
      winner: 'away',
      sets: [
        { home: 0, away: 6 },
        { home: 6, away: 0 },
        { home: 0, away: 1, tiebreak: { home: 9, away: 11 } },
      ],
    },
  },
];

describe('tennis cases from talktennisdata/pytennisscorer tests', () => {
  it.each(CASES)('$name ($source)', (c) => {
    const s = play(new Scorer(testMeta('tennis', c.options ?? {})).start('home'), c.script);
    expect(s.snap).toMatchObject(c.expect);
  });

  it('test_scorer.py: no point is taken after the match is won', () => {
    const s = play(new Scorer(testMeta('tennis')).start('home'), 'HHHHHH HHHHHH');
    expect(s.try({ type: 'SCORE_UPDATE', payload: { side: 'home' } }).ok).toBe(false);
  });
});

/** Server after each point of a tie-break reached from 6-6 (home served game 1). */
describe('tennis serve order and ends through tie-breaks (ITF Rules 5b, 10, 14)', () => {
  // [points script in the tie-break, server after it, changeEnds after it]
  const TIEBREAK: [string, 'home' | 'away', boolean][] = [
    ['', 'home', false], // game 13: home is due (12 games played, home served the odd ones)
    ['h', 'away', false], // 5b: one point, then the opponent serves two
    ['ha', 'away', false],
    ['hah', 'home', false],
    ['haha', 'home', false],
    ['hahah', 'away', false],
    ['hahaha', 'away', true], // 10: after 6 points
    ['hahahah', 'home', false],
    ['hahahaha', 'home', false],
    ['hahahahah', 'away', false],
    ['hahahahaha', 'away', false],
    ['hahahahahah', 'home', false],
    ['hahahahahaha', 'home', true], // 10: after 12 points
  ];
  it.each(TIEBREAK)('tie-break after "%s": %s serves, change ends %s', (script, server, ends) => {
    const s = play(new Scorer(testMeta('tennis')).start('home'), `${SIX_ALL} ${script}`);
    expect([s.snap.serving, s.snap.changeEnds]).toEqual([server, ends]);
  });

  it('5b / 10: the tie-break set is 13 games: ends change; the first receiver of the tie-break serves set 2', () => {
    const s = play(new Scorer(testMeta('tennis')).start('home'), `${SIX_ALL} hhhhhhh`);
    expect(s.snap.sets).toHaveLength(1);
    expect([s.snap.serving, s.snap.changeEnds]).toEqual(['away', true]);
  });

  it('the match tie-break serves like a tie-break and changes ends every 6 points (Appendix V, Rule 10)', () => {
    const s = play(new Scorer(testMeta('tennis', { finalSet: 'matchTiebreak10' })).start('home'), 'HHHHHH AAAAAA');
    const servers: string[] = [s.snap.serving!];
    const ends: number[] = [];
    for (let i = 1; i <= 18; i++) {
      play(s, i % 2 === 0 ? 'a' : 'h');
      servers.push(s.snap.serving!);
      if (s.snap.changeEnds) ends.push(i);
    }
    expect(servers.join(' ')).toBe(
      'home away away home home away away home home away away home home away away home home away away',
    );
    expect(ends).toEqual([6, 12, 18]);
  });

  // Rule 10: [games script from the start of a set, changeEnds after the last game]
  const ENDS: [string, boolean][] = [
    ['H', true],
    ['HA', false],
    ['HAH', true],
    ['HAHA', false],
    ['HAHAH', true],
    ['HHHHHH', false], // 6-0: even, no change at the end of the set...
    ['HHHHHH A', true], // ...so the ends change after the first game of set 2
    ['HHHHHA H', true], // 6-1: seven games, change at the end of the set
    ['HHHHHA H A', true], // and again after set 2's first game: odd games of each set
  ];
  it.each(ENDS)('games "%s": change ends %s', (script, ends) => {
    const s = play(new Scorer(testMeta('tennis')).start('home'), script);
    expect(s.snap.changeEnds).toBe(ends);
  });

  it('Rule 14: in doubles the rotation goes on through the tie-break, point by point', () => {
    const meta = testMeta('tennis', { doubles: true });
    meta.home = { name: 'H', players: ['H1', 'H2'] };
    meta.away = { name: 'A', players: ['A1', 'A2'] };
    const s = new Scorer(meta).send({
      type: 'MATCH_START',
      payload: { firstServer: 'home', serverOrder: ['H1', 'A1', 'H2', 'A2'] },
    });
    play(s, SIX_ALL); // 12 games: H1 A1 H2 A2 three times; game 13 is H1's turn
    const servers: string[] = [s.snap.servingPlayer!];
    for (let i = 0; i < 8; i++) servers.push(play(s, i % 2 === 0 ? 'h' : 'a').snap.servingPlayer!);
    expect(servers).toEqual(['H1', 'A1', 'A1', 'H2', 'H2', 'A2', 'A2', 'H1', 'H1']);
  });
});

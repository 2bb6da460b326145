import { describe, expect, it } from 'vitest';
import { periodLabel, scoreText, setScoreText, setsLine } from './score-lines.js';

describe('set lines', () => {
  it('joins finished sets and shows the tie-break loser points', () => {
    expect(
      setsLine([
        { home: 25, away: 20 },
        { home: 23, away: 25 },
      ]),
    ).toBe('25-20 23-25');
    expect(setScoreText({ home: 7, away: 6, tiebreak: { home: 7, away: 5 } })).toBe('7-6(5)');
    expect(setScoreText({ home: 6, away: 7, tiebreak: { home: 12, away: 14 } })).toBe('6-7(12)');
    expect(setsLine([])).toBe('');
    expect(setsLine(undefined)).toBe('');
  });
});

describe('period labels', () => {
  const at = (sport: 'basketball' | 'generic' | 'volleyball' | 'badminton', period: number, finished = false) =>
    periodLabel({
      sport,
      period,
      status: finished ? 'finished' : period === 0 ? 'scheduled' : 'live',
      sets: Array.from({ length: Math.max(0, period - 1) }, () => ({ home: 1, away: 0 })),
    });

  it('names quarters, overtimes and periods', () => {
    expect(at('basketball', 0)).toBe('');
    expect(at('basketball', 3)).toBe('Q3');
    expect(at('basketball', 4)).toBe('Q4');
    expect(at('basketball', 5)).toBe('OT1');
    expect(at('basketball', 6)).toBe('OT2');
    expect(at('generic', 3)).toBe('P3');
    expect(at('generic', 9)).toBe('P9');
  });

  it('names the set or game being played, the first before the start, the last once finished', () => {
    expect(at('volleyball', 0)).toBe('Set 1');
    expect(at('volleyball', 3)).toBe('Set 3');
    expect(at('badminton', 2)).toBe('Game 2');
    expect(
      periodLabel({
        sport: 'badminton',
        period: 2,
        status: 'finished',
        sets: [
          { home: 21, away: 10 },
          { home: 21, away: 15 },
        ],
      }),
    ).toBe('Game 2');
  });
});

describe('the big number', () => {
  const snap = { home: { name: 'H', score: 3 }, away: { name: 'A', score: 1 }, points: { home: '40', away: 'AD' } };
  it('is the point call in tennis and the score elsewhere', () => {
    expect(scoreText({ ...snap, sport: 'tennis' }, 'away')).toBe('AD');
    expect(scoreText({ ...snap, sport: 'tennis', points: undefined }, 'home')).toBe('3');
    expect(scoreText({ ...snap, sport: 'volleyball' }, 'home')).toBe('3');
  });
});

/** Period bookkeeping shared by the period sports (generic, basketball). */
import type { Side } from '../../events.js';
import { pair, type MatchState } from '../state.js';
import type { OverridePayload } from '../types.js';

/** The side ahead on total points, or null when level. */
export function leader(s: MatchState): Side | null {
  if (s.score.home === s.score.away) return null;
  return s.score.home > s.score.away ? 'home' : 'away';
}

/** Record the period's own score in `sets` and count who won it. */
export function closePeriod(s: MatchState): void {
  const home = s.score.home - s.periodStartScore.home;
  const away = s.score.away - s.periodStartScore.away;
  s.sets.push({ home, away });
  if (home > away) s.setsWon.home++;
  else if (away > home) s.setsWon.away++;
  s.periodOpen = false;
}

export function openPeriod(s: MatchState, period: number): void {
  s.period = period;
  s.periodOpen = true;
  s.periodStartScore = { home: s.score.home, away: s.score.away };
}

export function checkNextPeriod(s: MatchState, period: number | undefined): string | null {
  if (period !== undefined && period !== s.period + 1)
    return `payload.period: the next period is ${s.period + 1}, not ${period}`;
  return null;
}

export function checkInPeriod(s: MatchState): string | null {
  return s.periodOpen ? null : `period ${s.period} has ended: start the next period first`;
}

/** SCORE_OVERRIDE in a period sport: totals, and optionally the finished periods' scores. */
export function checkPeriodOverride(s: MatchState, p: OverridePayload): string | null {
  if (p.home.games !== undefined || p.away.games !== undefined) return `payload.home.games: ${s.sport} has no games`;
  if (p.serving !== undefined) return `payload.serving: ${s.sport} has no server`;
  if (p.sets === undefined) return null;
  if (p.sets.some((x) => x.tiebreak !== undefined)) return `payload.sets: ${s.sport} has no tie-breaks`;
  const sum = periodSums(p.sets);
  if (sum.home > p.home.points || sum.away > p.away.points)
    return 'payload.sets: the periods add up to more than the totals';
  return null;
}

function periodSums(sets: { home: number; away: number }[]): { home: number; away: number } {
  const sum = pair();
  for (const x of sets) {
    sum.home += x.home;
    sum.away += x.away;
  }
  return sum;
}

export function applyPeriodOverride(s: MatchState, p: OverridePayload): void {
  s.score = { home: p.home.points, away: p.away.points };
  if (p.sets !== undefined) {
    s.sets = p.sets.map((x) => ({ home: x.home, away: x.away }));
    s.setsWon = pair();
    for (const x of s.sets) if (x.home !== x.away) s.setsWon[x.home > x.away ? 'home' : 'away']++;
    s.period = s.sets.length + (s.periodOpen ? 1 : 0);
    s.periodStartScore = periodSums(s.sets);
    return;
  }
  // The current period's own score cannot go below zero.
  s.periodStartScore = {
    home: Math.min(s.periodStartScore.home, s.score.home),
    away: Math.min(s.periodStartScore.away, s.score.away),
  };
}

/** Period bookkeeping shared by the period sports (generic, basketball). */
import type { Side } from '../../events.js';
import type { MatchState } from '../state.js';

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

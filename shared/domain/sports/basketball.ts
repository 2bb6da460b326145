/**
 * Basketball (FIBA): SCORE_UPDATE of 1, 2 or 3 points; four quarters via PERIOD_START /
 * PERIOD_END, period 5+ is overtime. A quarter 4 (or overtime) ending with a leader
 * finishes the match; ending level needs overtime, and MATCH_END while level is refused
 * unless it names a winner (forfeit, abandonment). Team fouls count per quarter;
 * overtime continues the fourth quarter's count, as FIBA rules have it.
 */
import { resetClock } from '../clock.js';
import { finish, type MatchState } from '../state.js';
import type { SportRules } from '../types.js';
import { checkInPeriod, checkNextPeriod, closePeriod, leader, openPeriod } from './periods.js';

export const BASKETBALL_QUARTERS = 4;
/** FIBA quarter and overtime lengths (quarters configurable via options.periodLengthMs). */
export const BASKETBALL_QUARTER_MS = 10 * 60 * 1000;
export const BASKETBALL_OVERTIME_MS = 5 * 60 * 1000;

function periodLength(s: MatchState, period: number): number {
  return period > BASKETBALL_QUARTERS ? BASKETBALL_OVERTIME_MS : (s.options.periodLengthMs ?? BASKETBALL_QUARTER_MS);
}

export const basketballRules: SportRules = {
  periods: true,
  start(s, _firstServer, at) {
    openPeriod(s, 1);
    resetClock(s, periodLength(s, 1), at);
  },
  checkScore: (s) => checkInPeriod(s),
  score(s, side, points) {
    s.score[side] += points;
  },
  checkEnd(s, winner) {
    if (winner === undefined && s.status !== 'scheduled' && leader(s) === null)
      return 'the score is level: basketball plays overtime (or name payload.winner to end it anyway)';
    return null;
  },
  endWinner: leader,
  checkPeriodStart(s, period) {
    const wrong = checkNextPeriod(s, period);
    if (wrong) return wrong;
    if (s.period >= BASKETBALL_QUARTERS && leader(s) !== null) return 'the match is decided: no overtime';
    return null;
  },
  periodStart(s, at) {
    const next = s.period + 1;
    openPeriod(s, next);
    if (next <= BASKETBALL_QUARTERS && s.periodFouls) s.periodFouls = { home: 0, away: 0 };
    resetClock(s, periodLength(s, next), at);
  },
  periodEnd(s, at) {
    closePeriod(s);
    resetClock(s, 0, at);
    const ahead = leader(s);
    if (s.period >= BASKETBALL_QUARTERS && ahead !== null) finish(s, ahead);
  },
  foul(s, side) {
    if (s.periodFouls) s.periodFouls[side]++;
  },
};

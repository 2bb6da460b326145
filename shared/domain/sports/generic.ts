/**
 * Generic sport: total points, optional periods (PERIOD_START/PERIOD_END), no serve.
 * The match ends only by MATCH_END; a level score is a draw (winner null).
 */
import { resetClock } from '../clock.js';
import type { SportRules } from '../types.js';
import {
  applyPeriodOverride,
  checkInPeriod,
  checkNextPeriod,
  checkPeriodOverride,
  closePeriod,
  leader,
  openPeriod,
} from './periods.js';

export const genericRules: SportRules = {
  periods: true,
  start(s, _choices, at) {
    openPeriod(s, 1);
    if (s.options.periodLengthMs !== undefined) resetClock(s, s.options.periodLengthMs, at);
  },
  checkScore: (s) => checkInPeriod(s),
  score(s, side, points) {
    s.score[side] += points;
  },
  checkEnd: () => null,
  endWinner: leader,
  checkPeriodStart: (s, p) => checkNextPeriod(s, p.period),
  periodStart(s, _p, at) {
    openPeriod(s, s.period + 1);
    if (s.options.periodLengthMs !== undefined) resetClock(s, s.options.periodLengthMs, at);
  },
  periodEnd(s, at) {
    closePeriod(s);
    if (s.options.periodLengthMs !== undefined) resetClock(s, 0, at);
  },
  checkOverride: checkPeriodOverride,
  override: applyPeriodOverride,
};

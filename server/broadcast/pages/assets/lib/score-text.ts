/**
 * The few sport facts the overlays and the court wall share until they render from the
 * display model in shared/ (issue 14): which sports show sets won beside the big number,
 * which run a game clock, and the status words.
 */
import type { Sport } from '../../../../../shared/events.js';
import type { MatchStatus } from '../../../../../shared/match.js';

export const STATUS_LABEL: Record<MatchStatus, string> = {
  scheduled: 'NEXT',
  live: 'LIVE',
  paused: 'PAUSED',
  finished: 'FINAL',
};

/** Sports whose big number is per set or game: they show sets won beside it. */
const SET_SPORTS: readonly Sport[] = ['volleyball', 'badminton', 'table-tennis', 'tennis'];
/** Sports played against a game clock: the scorebug shows period and clock. */
const CLOCK_SPORTS: readonly Sport[] = ['basketball', 'generic'];

export const showsSetsWon = (sport: Sport): boolean => SET_SPORTS.includes(sport);
export const runsClock = (sport: Sport): boolean => CLOCK_SPORTS.includes(sport);

/**
 * Basketball (FIBA Official Basketball Rules): SCORE_UPDATE of 1, 2 or 3 points; four
 * quarters via PERIOD_START / PERIOD_END, period 5+ is overtime (Art. 8: 10 and 5
 * minutes, options.periodMinutes / overtimeMinutes). A quarter 4 (or overtime) ending
 * with a leader finishes the match; ending level needs overtime, and MATCH_END while
 * level is refused unless it names a winner (forfeit, abandonment).
 * Fouls: team fouls count per quarter, overtime continuing the fourth quarter's (Art.
 * 41.1.1); from a team's 5th foul in a period the opponent shoots free throws (penalty,
 * Art. 41.2). A player with options.foulLimit fouls (5, Art. 40.1) is disqualified and
 * gets no further foul. Time-outs (Art. 18.2.5): 2 in the first half, 3 in the second of
 * which at most 2 in the last 2:00 of the fourth quarter, 1 per overtime; unused ones
 * do not carry over.
 */
import { clockRemaining } from '../../display/clock.js';
import { resetClock } from '../clock.js';
import type { Side } from '../../events.js';
import type { MatchSnapshot } from '../../match.js';
import { finish, pair, type MatchState } from '../state.js';
import type { SportRules, TallyPayload } from '../types.js';
import {
  applyPeriodOverride,
  checkInPeriod,
  checkNextPeriod,
  checkPeriodOverride,
  closePeriod,
  leader,
  openPeriod,
} from './periods.js';

export const BASKETBALL_QUARTERS = 4;
/** FIBA quarter and overtime lengths (quarters configurable via options.periodLengthMs). */
export const BASKETBALL_QUARTER_MS = 10 * 60 * 1000;
export const BASKETBALL_OVERTIME_MS = 5 * 60 * 1000;
/** FIBA 40.1: a player with 5 fouls leaves the game. */
export const BASKETBALL_FOUL_LIMIT = 5;
/** FIBA 18.2.5 time-out allowances. */
const FIRST_HALF_TIMEOUTS = 2;
const SECOND_HALF_TIMEOUTS = 3;
const LAST_MINUTES_TIMEOUTS = 2;
const OVERTIME_TIMEOUTS = 1;
/** "The last 2:00 of the fourth quarter": the game clock shows 2:00 or less. */
const LAST_MINUTES_MS = 2 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

function periodLength(s: MatchState, period: number): number {
  const o = s.options;
  if (period > BASKETBALL_QUARTERS)
    return o.overtimeMinutes !== undefined ? o.overtimeMinutes * MINUTE_MS : BASKETBALL_OVERTIME_MS;
  if (o.periodMinutes !== undefined) return o.periodMinutes * MINUTE_MS;
  return o.periodLengthMs ?? BASKETBALL_QUARTER_MS;
}

function inLastMinutes(s: MatchState, at: string): boolean {
  return s.period === BASKETBALL_QUARTERS && clockRemaining(s.clock, Date.parse(at)) <= LAST_MINUTES_MS;
}

/** Time-outs `side` may still take at `at` (FIBA 18.2.5). */
function timeoutsLeft(s: MatchState, side: Side, at: string): number {
  const taken = s.timeoutsTaken[side];
  if (s.period > BASKETBALL_QUARTERS) return Math.max(0, OVERTIME_TIMEOUTS - taken);
  if (s.period <= 2) return Math.max(0, FIRST_HALF_TIMEOUTS - taken);
  const left = SECOND_HALF_TIMEOUTS - taken;
  const late = inLastMinutes(s, at) ? LAST_MINUTES_TIMEOUTS - s.lateTimeouts[side] : left;
  return Math.max(0, Math.min(left, late));
}

/**
 * `snapshot.timeoutsLeft` as it stands at `nowMs`. The snapshot is computed at its last event,
 * so a fourth-quarter clock running into the last 2:00 with no event leaves it stale: from
 * then a team has at most 2 (FIBA 18.2.5). Displays and feeds read this, with their own now.
 * Exact unless the clock was set back above 2:00 after late time-outs (then at most 2 is shown,
 * where the next event says 2 minus those); each time-out is checked at its own time anyway.
 */
export function timeoutsLeftAt(snapshot: MatchSnapshot, nowMs: number): MatchSnapshot['timeoutsLeft'] {
  const left = snapshot.timeoutsLeft;
  if (snapshot.sport !== 'basketball' || !left || snapshot.period !== BASKETBALL_QUARTERS) return left;
  if (clockRemaining(snapshot.clock, nowMs) > LAST_MINUTES_MS) return left;
  return { home: Math.min(left.home, LAST_MINUTES_TIMEOUTS), away: Math.min(left.away, LAST_MINUTES_TIMEOUTS) };
}

function foulLimit(s: MatchState): number {
  return s.options.foulLimit ?? BASKETBALL_FOUL_LIMIT;
}

function checkTally(s: MatchState, p: TallyPayload, at: string): string | null {
  if (p.side === undefined) return null;
  if (p.kind === 'foul' && p.player !== undefined && s.tally[p.side].disqualified?.includes(p.player))
    return `${p.player} (${p.side}) has ${foulLimit(s)} fouls and is disqualified: no further foul`;
  if (p.kind === 'timeout' && timeoutsLeft(s, p.side, at) === 0) {
    const when =
      s.period > BASKETBALL_QUARTERS ? 'this overtime' : inLastMinutes(s, at) ? 'the last 2:00' : 'this half';
    return `${p.side} has no time-outs left in ${when} (FIBA 18.2.5)`;
  }
  return null;
}

export const basketballRules: SportRules = {
  periods: true,
  start(s, _choices, at) {
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
  checkPeriodStart(s, p) {
    const wrong = checkNextPeriod(s, p.period);
    if (wrong) return wrong;
    if (s.period >= BASKETBALL_QUARTERS && leader(s) !== null) return 'the match is decided: no overtime';
    return null;
  },
  periodStart(s, _p, at) {
    const next = s.period + 1;
    openPeriod(s, next);
    if (next <= BASKETBALL_QUARTERS && s.periodFouls) s.periodFouls = pair();
    // A new allowance: the second half, and each overtime.
    if (next === 3 || next > BASKETBALL_QUARTERS) {
      s.timeoutsTaken = pair();
      s.lateTimeouts = pair();
    }
    resetClock(s, periodLength(s, next), at);
  },
  periodEnd(s, at) {
    closePeriod(s);
    resetClock(s, 0, at);
    const ahead = leader(s);
    if (s.period >= BASKETBALL_QUARTERS && ahead !== null) finish(s, ahead);
  },
  checkTally,
  tally(s, p, at) {
    const side = p.side;
    if (side === undefined) return;
    if (p.kind === 'timeout') {
      if (inLastMinutes(s, at)) s.lateTimeouts[side]++;
      s.timeoutsTaken[side]++;
      return;
    }
    if (p.kind !== 'foul') return;
    if (s.periodFouls) s.periodFouls[side]++;
    const t = s.tally[side];
    if (p.player === undefined || !t.playerFouls || !t.disqualified) return;
    const fouls = (t.playerFouls[p.player] ?? 0) + 1;
    t.playerFouls[p.player] = fouls;
    if (fouls >= foulLimit(s) && !t.disqualified.includes(p.player)) t.disqualified.push(p.player);
  },
  checkOverride: checkPeriodOverride,
  override: applyPeriodOverride,
  refresh(s, at) {
    s.timeoutsLeft = s.period === 0 ? null : { home: timeoutsLeft(s, 'home', at), away: timeoutsLeft(s, 'away', at) };
  },
};

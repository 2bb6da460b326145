/** Types shared by the fold, the reducer and the sport modules. */
import type { MatchEvent, Side } from '../events.js';
import type { ErrorCode } from '../protocol.js';
import type { MatchState } from './state.js';

/** An event as the fold sees it: console events have no cursor yet. */
export type FoldableEvent = MatchEvent & { cursor?: number; epoch?: number };

export type RuleVerdict =
  | { ok: true }
  | { ok: false; code: Extract<ErrorCode, 'RULES' | 'VALIDATION' | 'GAP'>; message: string };

type Payload<T extends MatchEvent['type']> = Extract<MatchEvent, { type: T }>['payload'];
export type StartChoices = Payload<'MATCH_START'>;
export type PeriodStartPayload = Payload<'PERIOD_START'>;
export type TallyPayload = Payload<'EVENT_ADDED'>;
export type OverridePayload = Payload<'SCORE_OVERRIDE'>;

/**
 * One sport's rules. `check*` return why the input is impossible (or null); the
 * mutating methods are only called after the matching check passed. Each method is
 * O(1) so that appending an event stays O(1) (an override is O(sets)).
 */
export interface SportRules {
  /** Period sports take PERIOD_START/PERIOD_END; set sports derive sets from the score. */
  readonly periods: boolean;
  /** MATCH_START: why its choices (doubles players) are impossible, or null. */
  checkStart?(s: MatchState, choices: StartChoices): string | null;
  /** MATCH_START: first set/period, who serves. */
  start(s: MatchState, choices: StartChoices, at: string): void;
  checkScore(s: MatchState, side: Side, points: number): string | null;
  /** Adds the points; closes sets/games and finishes the match when it is won. */
  score(s: MatchState, side: Side, points: number): void;
  /** MATCH_END: `winner` is the operator's explicit winner (retirement, forfeit). */
  checkEnd(s: MatchState, winner: Side | undefined): string | null;
  /** The winner when MATCH_END names none. */
  endWinner(s: MatchState): Side | null;
  /** Period sports: the next period; set sports: the choices at the start of a set or game. */
  checkPeriodStart?(s: MatchState, p: PeriodStartPayload): string | null;
  periodStart?(s: MatchState, p: PeriodStartPayload, at: string): void;
  periodEnd?(s: MatchState, at: string): void;
  /** A timeout or foul the sport limits (time-out allowances, foul-out), or null. */
  checkTally?(s: MatchState, p: TallyPayload, at: string): string | null;
  /** A tally event was recorded (team and player fouls, time-outs of the allowance). */
  tally?(s: MatchState, p: TallyPayload, at: string): void;
  /** SCORE_OVERRIDE: why this state is impossible under the sport's rules, or null. */
  checkOverride(s: MatchState, p: OverridePayload): string | null;
  override(s: MatchState, p: OverridePayload, at: string): void;
  /** Recomputes what follows from the state (time-outs left, service court, players) after any event. */
  refresh?(s: MatchState, at: string): void;
}

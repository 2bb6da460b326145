/** Types shared by the fold, the reducer and the sport modules. */
import type { MatchEvent, Side } from '../events.js';
import type { ErrorCode } from '../protocol.js';
import type { MatchState } from './state.js';

/** An event as the fold sees it: console events have no cursor yet. */
export type FoldableEvent = MatchEvent & { cursor?: number; epoch?: number };

export type RuleVerdict =
  | { ok: true }
  | { ok: false; code: Extract<ErrorCode, 'RULES' | 'VALIDATION' | 'GAP'>; message: string };

/**
 * One sport's rules. `check*` return why the input is impossible (or null); the
 * mutating methods are only called after the matching check passed. Each method is
 * O(1) so that appending an event stays O(1).
 */
export interface SportRules {
  /** Period sports take PERIOD_START/PERIOD_END; set sports derive sets from the score. */
  readonly periods: boolean;
  /** MATCH_START: first set/period, who serves. */
  start(s: MatchState, firstServer: Side, at: string): void;
  checkScore(s: MatchState, side: Side, points: number): string | null;
  /** Adds the points; closes sets/games and finishes the match when it is won. */
  score(s: MatchState, side: Side, points: number): void;
  /** MATCH_END: `winner` is the operator's explicit winner (retirement, forfeit). */
  checkEnd(s: MatchState, winner: Side | undefined): string | null;
  /** The winner when MATCH_END names none. */
  endWinner(s: MatchState): Side | null;
  /** Period sports only. */
  checkPeriodStart?(s: MatchState, period: number | undefined): string | null;
  periodStart?(s: MatchState, at: string): void;
  periodEnd?(s: MatchState, at: string): void;
  /** A foul was recorded for `side` (basketball team fouls). */
  foul?(s: MatchState, side: Side): void;
}

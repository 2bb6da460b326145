/** Types of court-view.js (plain JS so the browser can load it as is). */
import type { ClockState, MatchSnapshot, SetScore } from '../../../../../shared/match.js';
import type { Freshness } from '../../../../../shared/protocol.js';

export declare function compareCourts(a: string, b: string): number;
export declare function selectCurrentMatch<T extends MatchSnapshot>(snapshots: readonly T[]): T | null;
export declare function groupByCourt<T extends MatchSnapshot>(snapshots: readonly T[]): Map<string, T[]>;
export declare function currentMatchPerCourt<T extends MatchSnapshot>(
  snapshots: readonly T[],
): { court: string; match: T }[];
export declare function clockRemainingMs(clock: ClockState | null | undefined, nowMs: number): number;
export declare function formatClock(ms: number): string;
export declare function formatSets(sets: readonly SetScore[] | null | undefined): string;
export declare function isStale(
  snapshot: MatchSnapshot | null | undefined,
  freshness: Freshness | null | undefined,
): boolean;

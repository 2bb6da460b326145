/** Types of official-calls.js (plain JS so the browser can load it as is). */
import type { MatchSnapshot } from '../../../../../shared/match.js';

export interface OfficialCall {
  kind: 'interval' | 'change-ends' | 'serve' | 'timeouts' | 'penalty' | 'fouled-out';
  text: string;
}
export declare function intervalLeftMs(snapshot: MatchSnapshot | null | undefined, nowMs: number): number;
export declare function officialCalls(snapshot: MatchSnapshot | null | undefined, nowMs: number): OfficialCall[];

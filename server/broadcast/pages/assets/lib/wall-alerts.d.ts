/** Types of wall-alerts.js (plain JS so the browser can load it as is). */
import type { MatchSnapshot } from '../../../../../shared/match.js';
import type { ConsolePresence } from '../../../../../shared/protocol.js';

export interface WallAlert {
  kind: 'offline' | 'backlog' | 'overrun';
  key: string;
  message: string;
}
export declare const BACKLOG_HISTORY: number;
export declare function recordPending(history: readonly number[] | undefined, pending: number): number[];
export declare function isGrowing(history: readonly number[] | undefined): boolean;
export declare function slotEndMs(snapshot: MatchSnapshot): number | null;
export declare function computeAlerts(input: {
  presences: readonly ConsolePresence[];
  matches: readonly MatchSnapshot[];
  settings: { consoleOfflineAlertMs: number; backlogAlertEvents: number };
  backlog: Map<string, number[]>;
  nowMs: number;
}): WallAlert[];

/** Types of wall-alerts.js (plain JS so the browser can load it as is). */
import type { MatchSnapshot } from '../../../../../shared/match.js';
import type { ConsolePresence } from '../../../../../shared/protocol.js';

export interface WallAlert {
  kind: 'offline' | 'backlog' | 'overrun' | 'battery' | 'rtt' | 'clock' | 'verify';
  key: string;
  message: string;
}
export declare const BACKLOG_HISTORY: number;
export declare const BATTERY_ALERT_LEVEL: number;
export declare const RTT_ALERT_MS: number;
export declare const CLOCK_OFFSET_ALERT_MS: number;
export declare function formatBattery(battery: ConsolePresence['battery']): string;
export declare function formatOffset(offsetMs: number | null | undefined): string;
export declare function healthProblems(p: ConsolePresence): { kind: 'battery' | 'rtt' | 'clock'; text: string }[];
export declare function healthText(p: ConsolePresence): string;
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

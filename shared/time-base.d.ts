/** Types of time-base.js (plain JS so the browser can load it as is). */
import type { ClockState } from './match.js';

export interface SyncSample {
  /** Round trip without the server's own time. */
  rttMs: number;
  /** Local minus server. */
  offsetMs: number;
}
export interface TimeBase {
  offsetMs: number | null;
  rttMs: number | null;
}
export declare const TIME_SYNC_INTERVAL_MS: number;
export declare const TIME_SYNC_BURST: number;
export declare const TIME_SYNC_WINDOW: number;
export declare const TIME_SYNC_TIMEOUT_MS: number;
export declare function syncSample(t0: number, receivedAt: number, sentAt: number, t3: number): SyncSample | null;
export declare function bestSample(samples: readonly (SyncSample | null)[]): SyncSample | null;
export declare function addSample(
  samples: readonly SyncSample[],
  sample: SyncSample | null,
  windowSize?: number,
): SyncSample[];
export declare function timeBaseOf(samples: readonly SyncSample[]): TimeBase;
export declare function serverNowMs(localNowMs: number, offsetMs: number | null): number;
export declare function localAtServerMs(serverMs: number, offsetMs: number | null): number;
export declare function clockRemainingAtServer(clock: ClockState | null | undefined, serverMs: number): number;
export declare function clockShown(
  clock: ClockState | null | undefined,
  localNowMs: number,
  offsetMs: number | null,
): number;

/**
 * Clock arithmetic and clock text, for every surface (console, spectator board, feeds,
 * SSE, overlays, the fold's own basketball rules). Pure: the caller passes "now" (server
 * time, docs/time-base.md).
 *
 * One rule for the game clock's text: `M:SS` (seconds cut, as a scoreboard's clock reads
 * 9:59 a tenth after 10:00) from one minute up, `S.T` (tenths cut) below it: 59,999 ms is
 * `59.9`, 60,000 ms is `1:00`. Countdowns of intervals read whole seconds, rounded up.
 */
import type { ClockState } from '../match.js';

/** Below this the game clock shows tenths: the end of a period is decided in tenths (FIBA 49). */
export const TENTHS_BELOW_MS = 60_000;

const SECOND_MS = 1000;
const TENTH_MS = 100;

/**
 * Time left on a clock at `nowMs` (epoch milliseconds, server time): a running clock counts
 * down from its anchor and stops at zero; a display whose clock is behind the anchor shows
 * the full time, never more. An unparsable or missing anchor counts as "now".
 */
export function clockRemaining(clock: ClockState | null | undefined, nowMs: number): number {
  if (!clock) return 0;
  const remaining = Math.max(0, clock.remainingMs);
  if (!clock.running || clock.anchorAt === null) return remaining;
  const anchorMs = Date.parse(clock.anchorAt);
  if (Number.isNaN(anchorMs)) return remaining;
  return Math.max(0, remaining - Math.max(0, nowMs - anchorMs));
}

const finiteMs = (ms: number): number => (Number.isFinite(ms) ? Math.max(0, ms) : 0);
const twoDigits = (n: number): string => String(n).padStart(2, '0');

/** `M:SS` of whole seconds (minutes may pass 59: a generic period can be long). */
function minutesSeconds(totalSeconds: number): string {
  return `${Math.floor(totalSeconds / 60)}:${twoDigits(totalSeconds % 60)}`;
}

/** The game clock's text: `10:00`, `1:00`, then `59.9` ... `0.0` in the last minute. */
export function clockText(ms: number): string {
  const left = finiteMs(ms);
  if (left < TENTHS_BELOW_MS) {
    const tenths = Math.floor(left / TENTH_MS);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  return minutesSeconds(Math.floor(left / SECOND_MS));
}

/** An interval's countdown: whole seconds rounded up (`2:00` at the start, `0:00` only when it is over). */
export function countdownText(ms: number): string {
  return minutesSeconds(Math.ceil(finiteMs(ms) / SECOND_MS));
}

/** The clock as the operator types it (`M:SS`, seconds cut): what parseClockInput reads back. */
export function clockInputText(ms: number): string {
  return minutesSeconds(Math.floor(finiteMs(ms) / SECOND_MS));
}

/** Parse `mm:ss` or `m` (minutes) typed by the operator; null when it is not a time. */
export function parseClockInput(text: string): number | null {
  const trimmed = text.trim();
  const mmss = /^(\d{1,3}):([0-5]\d)$/.exec(trimmed);
  if (mmss) return (Number(mmss[1]) * 60 + Number(mmss[2])) * SECOND_MS;
  if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed) * 60 * SECOND_MS;
  return null;
}

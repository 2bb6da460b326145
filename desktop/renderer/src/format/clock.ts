/**
 * The match clock as data (ClockState) turned into what a display shows at a given moment.
 * Displays tick locally: while running, remaining = remainingMs - (now - anchorAt).
 */

/** The domain's own reading of a clock (one definition for the fold's tests and the screens). */
export { clockRemaining as remainingAt } from '../../../../shared/domain/clock.js';

/** "12:34"; under a minute "45.3" (tenths matter at the end of a period). */
export function formatClock(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 60_000) {
    const tenths = Math.floor(clamped / 100);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  const totalSeconds = Math.floor(clamped / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Parse "mm:ss" or "m" (minutes) typed by the operator; null when it is not a time. */
export function parseClockInput(text: string): number | null {
  const trimmed = text.trim();
  const mmss = /^(\d{1,3}):([0-5]\d)$/.exec(trimmed);
  if (mmss) return (Number(mmss[1]) * 60 + Number(mmss[2])) * 1000;
  if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed) * 60_000;
  return null;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago"; "never" for null. */
export function formatSince(iso: string | null, nowMs: number): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'never';
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

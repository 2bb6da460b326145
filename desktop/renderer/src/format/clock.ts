/**
 * Times the operator's screen words that are not a match's (the sync bar's "12 s ago").
 * A match's clock is read and worded by the display model (shared/display/clock.ts).
 */

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

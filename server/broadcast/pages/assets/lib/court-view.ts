/**
 * Pure view logic shared by the server feeds and the overlay pages (bundled into them by
 * server/broadcast/pages/vite.config.ts), so "the current match of a court" means the same
 * thing in vMix, SSE and on air. No DOM, no I/O. How a match reads (clock, sets, calls) is
 * the display model's, shared/display.
 */
import type { MatchSnapshot, MatchStatus } from '../../../../../shared/match.js';
import type { Freshness } from '../../../../../shared/protocol.js';

/** What choosing a court's current match reads of a snapshot. */
export type CourtMatch = Pick<MatchSnapshot, 'id' | 'court' | 'status' | 'cursor' | 'scheduledAt'>;

/** Order of preference for a court's current match: what is being played wins. */
const ACTIVE_STATUSES: readonly MatchStatus[] = ['live', 'paused'];

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Natural order for court names: "2" before "10", "Court 2" before "Court 10". */
export function compareCourts(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

function timeOf(iso: string | null | undefined): number {
  if (!iso) return Number.NaN;
  return Date.parse(iso);
}

/** Earlier scheduledAt first; unscheduled after scheduled; then by id so the choice is stable. */
function compareScheduled(a: CourtMatch, b: CourtMatch): number {
  const ta = timeOf(a.scheduledAt);
  const tb = timeOf(b.scheduledAt);
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na !== nb) return na ? 1 : -1;
  if (!na && ta !== tb) return ta - tb;
  return byId(a, b);
}

/** Most recently changed first (by cursor: commit order, never wall clocks). */
function compareRecent(a: CourtMatch, b: CourtMatch): number {
  return b.cursor - a.cursor || byId(a, b);
}

/**
 * The match a court shows now: a live or paused one (the most recently changed if
 * several), else the next scheduled one, else the last finished one; null when the
 * court has no match.
 */
export function selectCurrentMatch<T extends CourtMatch>(snapshots: readonly T[]): T | null {
  const active = snapshots.filter((s) => ACTIVE_STATUSES.includes(s.status)).sort(compareRecent);
  if (active[0]) return active[0];
  const scheduled = snapshots.filter((s) => s.status === 'scheduled').sort(compareScheduled);
  if (scheduled[0]) return scheduled[0];
  const finished = snapshots.filter((s) => s.status === 'finished').sort(compareRecent);
  return finished[0] ?? null;
}

/** Snapshots grouped by court, courts in natural order. */
export function groupByCourt<T extends CourtMatch>(snapshots: readonly T[]): Map<string, T[]> {
  const byCourt = new Map<string, T[]>();
  for (const s of snapshots) {
    const list = byCourt.get(s.court);
    if (list) list.push(s);
    else byCourt.set(s.court, [s]);
  }
  return new Map([...byCourt.entries()].sort(([a], [b]) => compareCourts(a, b)));
}

/** The current match of every court, courts in natural order. */
export function currentMatchPerCourt<T extends CourtMatch>(snapshots: readonly T[]): { court: string; match: T }[] {
  const result: { court: string; match: T }[] = [];
  for (const [court, list] of groupByCourt(snapshots)) {
    const match = selectCurrentMatch(list);
    if (match) result.push({ court, match });
  }
  return result;
}

/**
 * Stale: a match in play whose console is not connected, so what we show may be
 * behind the venue. Scheduled and finished matches expect no new events.
 */
export function isStale(
  snapshot: Pick<MatchSnapshot, 'status'> | null | undefined,
  freshness: Pick<Freshness, 'consoleOnline'> | null | undefined,
): boolean {
  if (!snapshot) return false;
  if (!ACTIVE_STATUSES.includes(snapshot.status)) return false;
  return !freshness?.consoleOnline;
}

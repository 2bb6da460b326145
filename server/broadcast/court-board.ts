/** Loads what the pull endpoints serve: every court's current match with its freshness. */
import type { MatchSnapshot } from '../../shared/match.js';
import type { Freshness } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { currentMatchPerCourt, groupByCourt, isStale, selectCurrentMatch } from './pages/assets/lib/court-view.js';

export interface CourtEntry {
  court: string;
  match: MatchSnapshot;
  freshness: Freshness;
  stale: boolean;
}

const UNKNOWN_FRESHNESS: Freshness = { lastEventAt: null, lastStoredAt: null, consoleOnline: false, verified: null };

/** Freshness of every listed match: one query when the pipeline offers it (1,000 streams of 50 matches were 50,000 queries). */
export async function freshnessOfAll(
  deps: BroadcastDeps,
  snapshots: readonly MatchSnapshot[],
): Promise<(Freshness | null)[]> {
  if (!deps.freshnessOf) return Promise.all(snapshots.map((s) => deps.freshness(s.id)));
  const byId = await deps.freshnessOf(snapshots.map((s) => s.id));
  return snapshots.map((s) => byId.get(s.id) ?? null);
}

async function withFreshness(deps: BroadcastDeps, court: string, match: MatchSnapshot): Promise<CourtEntry> {
  const freshness = (await deps.freshness(match.id)) ?? UNKNOWN_FRESHNESS;
  return { court, match, freshness, stale: isStale(match, freshness) };
}

/** Every court's current match, courts in natural order; their freshness in one query. */
export async function loadCourtBoard(deps: BroadcastDeps, court?: string): Promise<CourtEntry[]> {
  const snapshots = await deps.listSnapshots(court ? { court } : undefined);
  const current = currentMatchPerCourt(court ? snapshots.filter((s) => s.court === court) : snapshots);
  const freshness = await freshnessOfAll(
    deps,
    current.map((c) => c.match),
  );
  return current.map(({ court: c, match }, i) => {
    const f = freshness[i] ?? UNKNOWN_FRESHNESS;
    return { court: c, match, freshness: f, stale: isStale(match, f) };
  });
}

/** One court: its current match plus every match on it (for clients that pick themselves). */
export async function loadCourt(
  deps: BroadcastDeps,
  court: string,
): Promise<(CourtEntry & { matches: MatchSnapshot[] }) | null> {
  const snapshots = (await deps.listSnapshots({ court })).filter((s) => s.court === court);
  const match = selectCurrentMatch(groupByCourt(snapshots).get(court) ?? []);
  if (!match) return null;
  return { ...(await withFreshness(deps, court, match)), matches: snapshots };
}

/**
 * What the extension knows of its courts, as a pure state machine (no I/O): every match
 * on the followed courts with its snapshot, its freshness and the events seen since the
 * extension began following it. Everything is applied by cursor, so the Socket.io side
 * (live-link.ts) can hand it whatever arrives, in any mix of catch-up and live:
 *
 * - an update whose cursor is not above the match's is a duplicate: dropped;
 * - an update that starts above the match's cursor (baseCursor > held) shows a gap: not
 *   applied, the caller resyncs (catch-up by cursor from what is held);
 * - otherwise its events above the held cursor are appended, none twice.
 *
 * One view per court (the replicant): the court's current match, chosen as the overlays
 * and feeds choose it (court-view.js), with its freshness and recent events.
 */
import type { StoredEvent } from '../../../shared/events.js';
import type { LiveMatchUpdate, LiveSnapshot } from '../../../shared/live-messages.js';
import type { MatchSnapshot } from '../../../shared/match.js';
import type { Freshness } from '../../../shared/protocol.js';
import { isStale, selectCurrentMatch } from '../../../server/broadcast/pages/assets/lib/court-view.js';

/** The extension's link to Scoredesk, as graphics see it. */
export type LinkState = 'connecting' | 'catching-up' | 'live' | 'offline' | 'refused';

/** One court's replicant value. */
export interface CourtView {
  court: string;
  /** The extension's link to Scoredesk: anything but `live` means the data may be behind. */
  link: LinkState;
  /** The court's current match (live or paused, else the next scheduled, else the last finished), or null. */
  match: LiveSnapshot | null;
  freshness: Freshness | null;
  /** Hide or grey the score: the link is not live, or the match is in play while its console is offline. */
  stale: boolean;
  /** Cursor of the current match's last event held (0: none). */
  cursor: number;
  /** The current match's events since the extension began following it, oldest first (the last `eventsKept`). */
  events: StoredEvent[];
}

/** The replicant of one court (namespace: the bundle's name). */
export const courtReplicantName = (court: string) => `court:${court}`;

/** A court's replicant before anything is known. */
export const emptyCourtView = (court: string): CourtView => ({
  court,
  link: 'connecting',
  match: null,
  freshness: null,
  stale: true,
  cursor: 0,
  events: [],
});

interface HeldMatch {
  snapshot: LiveSnapshot;
  freshness: Freshness | null;
  events: StoredEvent[];
}

export type UpdateOutcome =
  | { kind: 'applied'; matchId: string; added: number }
  | { kind: 'duplicate'; matchId: string }
  | { kind: 'gap'; matchId: string; held: number; baseCursor: number }
  | { kind: 'other-court'; matchId: string };

export type SnapshotOutcome =
  /** A match not held before. */
  | { kind: 'adopted'; matchId: string }
  /** At the held cursor: freshness (and status) refreshed. */
  | { kind: 'same'; matchId: string }
  /** Ahead of what is held without its events: they were missed, resync. */
  | { kind: 'ahead'; matchId: string; held: number; cursor: number }
  /** Behind what is held: the server's storage went back (a restore); its snapshot wins. */
  | { kind: 'reset'; matchId: string; held: number; cursor: number }
  | { kind: 'other-court'; matchId: string };

// court-view.js is typed for full snapshots; it reads only id, status, cursor and scheduledAt.
const asSnapshots = (list: LiveSnapshot[]) => list as unknown as MatchSnapshot[];

export class CourtFeed {
  private readonly matches = new Map<string, HeldMatch>();
  private readonly courts: ReadonlySet<string>;

  /**
   * `restored`: the replicants as NodeCG kept them (across a NodeCG restart), so the
   * first connection catches up from their cursors instead of starting over.
   */
  constructor(
    courts: readonly string[],
    private readonly eventsKept: number,
    restored: readonly Partial<CourtView>[] = [],
  ) {
    this.courts = new Set(courts);
    for (const view of restored) {
      if (!view.match || !this.courts.has(view.match.court)) continue;
      const events = (view.events ?? []).filter((e) => e.matchId === view.match!.id);
      this.matches.set(view.match.id, { snapshot: view.match, freshness: view.freshness ?? null, events });
    }
  }

  /** Every held match and its cursor: what a new connection subscribes to with `since`. */
  held(): { matchId: string; cursor: number }[] {
    return [...this.matches.values()].map((m) => ({ matchId: m.snapshot.id, cursor: m.snapshot.cursor }));
  }

  takeUpdate(update: LiveMatchUpdate): UpdateOutcome {
    const matchId = update.matchId;
    const held = this.matches.get(matchId);
    if (!held) {
      if (!this.courts.has(update.snapshot.court)) return { kind: 'other-court', matchId };
      // First seen through an update (its COURT_UPDATE raced it): the snapshot is whole.
      this.matches.set(matchId, { snapshot: update.snapshot, freshness: update.freshness, events: [] });
      this.append(this.matches.get(matchId)!, update.events, update.baseCursor);
      return { kind: 'applied', matchId, added: update.events.length };
    }
    const at = held.snapshot.cursor;
    if (update.cursor <= at) return { kind: 'duplicate', matchId };
    if (update.baseCursor > at) return { kind: 'gap', matchId, held: at, baseCursor: update.baseCursor };
    const added = this.append(held, update.events, at);
    held.snapshot = update.snapshot;
    held.freshness = update.freshness;
    return { kind: 'applied', matchId, added };
  }

  /** A snapshot from a SUBSCRIBE_COURTS ack or a COURT_UPDATE (at the position the socket holds). */
  takeSnapshot(snapshot: LiveSnapshot, freshness: Freshness | undefined): SnapshotOutcome {
    const matchId = snapshot.id;
    const held = this.matches.get(matchId);
    if (!this.courts.has(snapshot.court)) {
      // Moved to a court we do not follow.
      if (held) this.matches.delete(matchId);
      return { kind: 'other-court', matchId };
    }
    if (!held) {
      this.matches.set(matchId, { snapshot, freshness: freshness ?? null, events: [] });
      return { kind: 'adopted', matchId };
    }
    const at = held.snapshot.cursor;
    if (snapshot.cursor > at) return { kind: 'ahead', matchId, held: at, cursor: snapshot.cursor };
    if (freshness) held.freshness = freshness;
    if (snapshot.cursor < at) {
      held.snapshot = snapshot;
      held.events = held.events.filter((e) => e.cursor <= snapshot.cursor);
      return { kind: 'reset', matchId, held: at, cursor: snapshot.cursor };
    }
    held.snapshot = snapshot;
    return { kind: 'same', matchId };
  }

  /** Freshness alone (a SUBSCRIBE_MATCH ack: its snapshot is ahead of the catch-up that follows it). */
  takeFreshness(matchId: string, freshness: Freshness): void {
    const held = this.matches.get(matchId);
    if (held) held.freshness = freshness;
  }

  /** The match no longer exists (UNKNOWN_MATCH). */
  forget(matchId: string): void {
    this.matches.delete(matchId);
  }

  /** After a SUBSCRIBE_COURTS ack: held matches of followed courts it did not list are gone. */
  keepOnly(listed: ReadonlySet<string>): void {
    for (const id of this.matches.keys()) if (!listed.has(id)) this.matches.delete(id);
  }

  view(court: string, link: LinkState): CourtView {
    const onCourt = [...this.matches.values()].filter((m) => m.snapshot.court === court).map((m) => m.snapshot);
    const current = selectCurrentMatch(asSnapshots(onCourt)) as unknown as LiveSnapshot | null;
    const held = current ? this.matches.get(current.id)! : null;
    const freshness = held?.freshness ?? null;
    return {
      court,
      link,
      match: held?.snapshot ?? null,
      freshness,
      stale: link !== 'live' || isStale(held?.snapshot as unknown as MatchSnapshot | undefined, freshness),
      cursor: held?.snapshot.cursor ?? 0,
      events: held ? [...held.events] : [],
    };
  }

  /** Appends the events above `after` (each once, in cursor order); returns how many. */
  private append(held: HeldMatch, events: readonly StoredEvent[], after: number): number {
    let last = Math.max(after, held.events[held.events.length - 1]?.cursor ?? 0);
    let added = 0;
    for (const event of events) {
      if (event.cursor <= last) continue;
      held.events.push(event);
      last = event.cursor;
      added++;
    }
    if (held.events.length > this.eventsKept) held.events.splice(0, held.events.length - this.eventsKept);
    return added;
  }
}

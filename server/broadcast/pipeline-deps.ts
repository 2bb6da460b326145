/**
 * BroadcastDeps (deps.ts) built from the running pipeline: reads on the readers' pool,
 * updates from the broadcaster, matches and presence from the bus. server/app.ts builds
 * this once and mounts createBroadcastRouter(deps).
 */
import type pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import type { Freshness } from '../../shared/protocol.js';
import { verifiedOf } from '../../shared/verification.js';
import type { TokenService } from '../auth/tokens.js';
import type { Bus } from '../bus.js';
import type { ServerConfig } from '../config.js';
import type { Broadcaster } from '../live/broadcaster.js';
import type { PresenceTracker } from '../presence.js';
import { getFreshnessRow, getFreshnessRows, getSnapshot, listSnapshots } from '../store/matches.js';
import type { BroadcastDeps } from './deps.js';

export interface PipelineParts {
  config: ServerConfig;
  /** The readers' pool: feeds, streams and pages never hold the main pool or the writer's. */
  readerPool: pg.Pool;
  tokens: TokenService;
  bus: Bus;
  broadcaster: Broadcaster;
  presence: PresenceTracker;
}

type PresenceListener = Parameters<BroadcastDeps['onPresence']>[0];
type MatchListener = (snapshot: MatchSnapshot) => void;

/** A match's freshness, and many matches' in one query, from the stored rows and live presence. */
export function freshnessReaders(
  readerPool: pg.Pool,
  presence: PresenceTracker,
): Pick<BroadcastDeps, 'freshness'> & { freshnessOf(matchIds: readonly string[]): Promise<Map<string, Freshness>> } {
  const freshness = async (matchId: string) => {
    const row = await getFreshnessRow(readerPool, matchId);
    return {
      lastEventAt: row?.lastEventAt ?? null,
      lastStoredAt: row?.lastStoredAt ?? null,
      consoleOnline: presence.isOnline(row?.writerConsoleId ?? null),
      verified: verifiedOf(row?.verification), // contract 1.1: null while there is no verify stream
    };
  };
  const freshnessOf = async (matchIds: readonly string[]) => {
    const rows = await getFreshnessRows(readerPool, matchIds);
    const out = new Map<string, Awaited<ReturnType<typeof freshness>>>();
    for (const [id, row] of rows)
      out.set(id, {
        lastEventAt: row.lastEventAt,
        lastStoredAt: row.lastStoredAt,
        consoleOnline: presence.isOnline(row.writerConsoleId),
        verified: verifiedOf(row.verification),
      });
    return out;
  };
  return { freshness, freshnessOf };
}

/**
 * The matches a console writes: those on air here, and those PostgreSQL names it the
 * writer of (a console that never reported a matchId, or whose match has had no event
 * since this process started).
 */
function matchesFedBy(pool: pg.Pool, broadcaster: Broadcaster): (consoleId: string) => Promise<string[]> {
  return async (consoleId) => {
    const ids = new Set(broadcaster.writtenBy(consoleId));
    try {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM matches WHERE writer_console_id = $1', [
        consoleId,
      ]);
      for (const row of rows) ids.add(row.id);
    } catch {
      // storage unreachable: the matches on air here still hear of it
    }
    return [...ids];
  };
}

/** Presence and new or handed-over matches from the bus, to the feeds' and streams' listeners. */
function followBus(
  parts: PipelineParts,
  presenceListeners: Set<PresenceListener>,
  matchListeners: Set<MatchListener>,
): void {
  const { readerPool: pool, bus } = parts;
  const fedBy = matchesFedBy(pool, parts.broadcaster);
  /** Last online state seen per console: only a flip needs the lookup. */
  const lastOnline = new Map<string, boolean>();
  /** Presence reaches the listeners in bus order, each with the matches its console writes. */
  let presenceTurn: Promise<void> = Promise.resolve();
  const announce = (snapshot: MatchSnapshot) => {
    for (const l of matchListeners) l(snapshot);
  };
  bus.on((message) => {
    switch (message.type) {
      case 'batch':
      // Verifications reach the SSE streams through the broadcaster (onVerification).
      case 'verification':
        break;
      case 'presence': {
        const presence = message.presence;
        const flipped = lastOnline.get(presence.consoleId) !== presence.online;
        lastOnline.set(presence.consoleId, presence.online);
        const fed = flipped ? fedBy(presence.consoleId) : Promise.resolve([]);
        presenceTurn = presenceTurn.then(async () => {
          const matchIds = await fed;
          for (const l of presenceListeners) {
            try {
              l(presence, matchIds);
            } catch {
              // one listener's failure must not stop the others or the next presence
            }
          }
        });
        break;
      }
      case 'match-created':
        announce(message.snapshot);
        break;
      case 'epoch':
        // A handover changes the snapshot's epoch without an event.
        void getSnapshot(pool, message.matchId).then(
          (snapshot) => snapshot && announce(snapshot),
          () => {},
        );
        break;
    }
  });
}

export function createBroadcastDeps(parts: PipelineParts): BroadcastDeps {
  const { config, readerPool: pool, tokens, broadcaster, presence } = parts;
  const presenceListeners = new Set<PresenceListener>();
  const matchListeners = new Set<MatchListener>();
  followBus(parts, presenceListeners, matchListeners);
  return {
    pool,
    authenticate: async (token) => (await tokens.verify(token))?.user ?? null,
    listSnapshots: (filter) => listSnapshots(pool, filter ?? {}),
    getSnapshot: (id) => getSnapshot(pool, id),
    ...freshnessReaders(pool, presence),
    onUpdate: (listener) => broadcaster.onUpdate(listener),
    onVerification: (listener) => broadcaster.onVerification(listener),
    onMatch: (listener: MatchListener) => {
      matchListeners.add(listener);
      return () => matchListeners.delete(listener);
    },
    onPresence: (listener) => {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    listPresence: () => presence.list(),
    mintViewerToken: (label, ttlSeconds) => tokens.mintViewerToken(label, ttlSeconds),
    settings: {
      adminUiEnabled: Boolean(config.adminUi),
      consoleOfflineAlertMs: config.consoleOfflineAlertMs,
      backlogAlertEvents: config.backlogAlertEvents,
    },
  };
}

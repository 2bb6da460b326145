/**
 * Live state of some courts (or all) for the overlays and the court wall.
 *
 * - On start it fetches a full snapshot over HTTP (OBS may reload a page at any time),
 *   retrying with backoff while the server is unreachable, and refreshes it every
 *   FRESHNESS_REFRESH_MS (freshness changes without a match update when a console drops).
 * - It follows /live over Socket.io (auth {token, protocol}): SUBSCRIBE_COURTS with
 *   `frames: true`, so however many courts it shows it gets at most one MATCH_UPDATES
 *   frame per broadcast window. After a reconnect the subscribe answers the snapshots
 *   again: an overlay shows snapshots, so it needs no event catch-up.
 * - Every update carries a full snapshot; one whose cursor is not above what we hold
 *   is a duplicate and is dropped, so nothing is applied twice.
 * - Everything received is parsed with the protocol's schemas first (LIVE_NOTICES and
 *   LIVE_REQUESTS in shared/protocol.ts, the HTTP answers of shared/api.ts): a malformed
 *   message or answer is refused whole, counted in stats.refused and named in lastRefused,
 *   never shown.
 * - A handshake refused for its protocol version (too old, too new) is shown as
 *   `incompatible` with the reason in lastError, and never retried: no retry changes a version.
 * The last data stays shown while offline; `connection` tells the page to mark it stale.
 */
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { courtBoardSchema, courtDetailSchema, type CourtEntry } from '../../../../../shared/api.js';
import type { MatchSnapshot } from '../../../../../shared/match.js';
import {
  describeProtocolRefusal,
  LIVE_NOTICES,
  LIVE_REQUESTS,
  PROTOCOL_VERSION,
  protocolRefusalOf,
  receive,
  type ConsolePresence,
  type Freshness,
  type LiveClientToServer,
  type LiveServerToClient,
  type MatchUpdate,
} from '../../../../../shared/protocol.js';
import { groupByCourt, selectCurrentMatch } from './court-view.js';
import { createTimeSync } from './time-sync.js';

/** The /live namespace as the shared event maps type it. */
export type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** First retry of the HTTP snapshot after a failure; doubles up to the max. */
const FETCH_RETRY_FIRST_MS = 1_000;
const FETCH_RETRY_MAX_MS = 30_000;
/** Socket.io's own reconnect backoff. */
const SOCKET_RETRY_FIRST_MS = 500;
const SOCKET_RETRY_MAX_MS = 10_000;
/** A refused handshake (e.g. the server restarting) does not reconnect by itself: retry this late. */
const REFUSED_RETRY_MS = 5_000;
/** How often freshness is re-read: a console going offline sends no match update. */
export const FRESHNESS_REFRESH_MS = 10_000;

/** `incompatible`: the server refused this page's protocol version (lastError says why). */
export type Connection = 'connecting' | 'live' | 'offline' | 'incompatible';
/** How a version refusal names this client (describeProtocolRefusal). */
const THIS_PAGE = { name: 'this page', version: PROTOCOL_VERSION };

export interface HeldMatch {
  snapshot: MatchSnapshot;
  freshness: Freshness | null;
}
export interface CurrentMatch extends HeldMatch {
  court: string;
}

export interface FeedStats {
  updates: number;
  frames: number;
  duplicates: number;
  gaps: number;
  applied: number;
  connects: number;
  /** Messages and HTTP answers refused by their schemas (never shown). */
  refused: number;
}

export interface LiveFeed {
  readonly connection: Connection;
  readonly lastError: string | null;
  /** The last refusal: what it was and why. */
  readonly lastRefused: string | null;
  stats: FeedStats;
  /** Every match we hold. */
  matches(): HeldMatch[];
  /** Each court's current match, courts in natural order. */
  currentMatches(): CurrentMatch[];
  /** Server time now as this page reckons it (time:sync): what running clocks are read at. */
  serverNow(): number;
  /** This page's clock minus the server's, null before the first answer. */
  readonly clockOffsetMs: number | null;
  /** Round trip of the exchange that offset comes from: the offset is right to within half of it. */
  readonly clockRttMs: number | null;
  stop(): void;
}

export interface LiveFeedOptions {
  token: string;
  /** The courts to follow; null: all. */
  courts: readonly string[] | null;
  onChange: (feed: LiveFeed) => void;
  /** Admin sockets only (the court wall). */
  onPresence?: (presence: ConsolePresence) => void;
  socketPath?: string;
}

/** What the feed holds: the newest snapshot of each followed match, with its freshness. */
function createHoldings(courts: readonly string[] | null) {
  const matches = new Map<string, HeldMatch>();
  const wanted = (court: string) => !courts || courts.includes(court);
  return {
    matches,
    cursorOf: (matchId: string) => matches.get(matchId)?.snapshot.cursor ?? 0,
    /** Keep the newer snapshot; freshness is replaced whenever it comes along. True when it changed what we show. */
    apply(snapshot: MatchSnapshot, freshness?: Freshness | null): boolean {
      if (!wanted(snapshot.court)) return false;
      const held = matches.get(snapshot.id);
      if (held && held.snapshot.cursor > snapshot.cursor) return false;
      const changed =
        !held || held.snapshot.cursor !== snapshot.cursor || held.snapshot.status !== snapshot.status || freshness;
      matches.set(snapshot.id, { snapshot, freshness: freshness ?? held?.freshness ?? null });
      return Boolean(changed);
    },
    currentMatches(): CurrentMatch[] {
      const result: CurrentMatch[] = [];
      for (const [court, list] of groupByCourt([...matches.values()].map((m) => m.snapshot))) {
        const current = selectCurrentMatch(list);
        const held = current && matches.get(current.id);
        if (held) result.push({ court, ...held });
      }
      return result;
    },
  };
}

export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { token, courts, onChange, onPresence } = options;
  const held = createHoldings(courts);
  const stats: FeedStats = { updates: 0, frames: 0, duplicates: 0, gaps: 0, applied: 0, connects: 0, refused: 0 };
  let connection: Connection = 'connecting';
  let lastError: string | null = null;
  let lastRefused: string | null = null;
  let stopped = false;
  let fetchTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let refusedTimer: ReturnType<typeof setTimeout> | undefined;

  const notify = () => onChange(feed);
  /** `raw` as `schema` reads it, or null: refused whole, counted and named. */
  function accept<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> | null {
    const received = receive(schema, raw, what);
    if (received.ok) return received.value;
    stats.refused += 1;
    lastRefused = received.message;
    console.warn(`[scoredesk] ${received.message}`);
    return null;
  }

  // ---- HTTP snapshot ---------------------------------------------------------

  async function getJson(path: string): Promise<unknown> {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
    return response.json();
  }

  /** A court's current match with its freshness, and on /api/courts/:court every match on it. */
  function takeEntry(entry: CourtEntry & { matches?: MatchSnapshot[] }): void {
    for (const snapshot of entry.matches ?? []) held.apply(snapshot);
    held.apply(entry.match, entry.freshness);
  }

  /** A malformed answer is refused and fails the load: retried with backoff like a network failure. */
  function answer<S extends z.ZodType>(schema: S, raw: unknown, path: string): z.infer<S> {
    const value = accept(schema, raw, `GET ${path} answer`);
    if (value === null) throw new Error(lastRefused ?? `malformed GET ${path} answer`);
    return value;
  }

  async function fetchSnapshots(): Promise<void> {
    if (!courts) {
      for (const entry of answer(courtBoardSchema, await getJson('/api/courts'), '/api/courts')) takeEntry(entry);
      return;
    }
    for (const court of courts) {
      const path = `/api/courts/${encodeURIComponent(court)}`;
      const raw = await getJson(path);
      if (raw !== null) takeEntry(answer(courtDetailSchema, raw, path)); // null: no match on that court (404)
    }
  }

  async function loadWithRetry(delayMs = FETCH_RETRY_FIRST_MS): Promise<void> {
    if (stopped) return;
    try {
      await fetchSnapshots();
      if (stopped) return; // the page moved on (CasparCG update() to another court)
      notify();
      refreshTimer = setTimeout(() => void loadWithRetry(), FRESHNESS_REFRESH_MS);
    } catch (error) {
      if (stopped) return;
      lastError = String(error);
      notify();
      fetchTimer = setTimeout(() => void loadWithRetry(Math.min(delayMs * 2, FETCH_RETRY_MAX_MS)), delayMs);
    }
  }

  // ---- Socket.io /live -------------------------------------------------------

  const socket: LiveSocket = io(`${options.socketPath ?? ''}/live`, {
    auth: { token, protocol: PROTOCOL_VERSION },
    // WebSocket first (every broadcast browser has it; no sticky sessions needed across
    // server processes); long polling only where a proxy blocks WebSocket.
    transports: ['websocket', 'polling'],
    reconnectionDelay: SOCKET_RETRY_FIRST_MS,
    reconnectionDelayMax: SOCKET_RETRY_MAX_MS,
  });
  // One time base: running clocks are shown in server time (snapshot anchors are server times).
  const time = createTimeSync(socket);

  socket.on('connect', () => {
    stats.connects += 1;
    connection = 'live';
    lastError = null;
    socket.emit('SUBSCRIBE_COURTS', courts ? { courts: [...courts], frames: true } : { frames: true }, (raw) => {
      const ack = accept(LIVE_REQUESTS.SUBSCRIBE_COURTS.ack, raw, 'SUBSCRIBE_COURTS ack');
      if (ack?.ok) for (const snapshot of ack.snapshots) held.apply(snapshot);
      notify();
    });
    notify();
  });

  socket.on('disconnect', () => {
    connection = 'offline';
    notify();
  });

  socket.on('connect_error', (error) => {
    const refusal = protocolRefusalOf(error);
    connection = refusal ? 'incompatible' : 'offline';
    lastError = refusal ? describeProtocolRefusal(refusal, THIS_PAGE) : error.message;
    notify();
    // Socket.io retries network failures by itself, but not a refused handshake: retry that
    // later (the server may be restarting), unless the version was refused.
    if (!refusal && !socket.active && !stopped) {
      clearTimeout(refusedTimer);
      refusedTimer = setTimeout(() => !stopped && socket.connect(), REFUSED_RETRY_MS);
    }
  });

  /** One match's update (already parsed); true when it changed what we show. */
  function take(update: MatchUpdate): boolean {
    stats.updates += 1;
    const known = held.matches.has(update.matchId);
    const cursor = held.cursorOf(update.matchId);
    if (known && update.cursor <= cursor) {
      stats.duplicates += 1;
      return false;
    }
    if (known && update.baseCursor > cursor) stats.gaps += 1; // the snapshot is whole: still correct
    if (!held.apply(update.snapshot, update.freshness)) return false;
    stats.applied += 1;
    return true;
  }

  socket.on('MATCH_UPDATES', (raw) => {
    if (stopped) return;
    stats.frames += 1;
    const frame = accept(LIVE_NOTICES.MATCH_UPDATES, raw, 'MATCH_UPDATES');
    let changed = false;
    for (const update of frame?.updates ?? []) changed = take(update) || changed;
    if (changed) notify();
  });

  socket.on('MATCH_UPDATE', (raw) => {
    const update = stopped ? null : accept(LIVE_NOTICES.MATCH_UPDATE, raw, 'MATCH_UPDATE');
    if (update && take(update)) notify();
  });

  socket.on('COURT_UPDATE', (raw) => {
    // With freshness: the console feeding the match connected or dropped (viewers get no PRESENCE).
    const message = accept(LIVE_NOTICES.COURT_UPDATE, raw, 'COURT_UPDATE');
    if (message && held.apply(message.snapshot, message.freshness)) notify();
  });

  socket.on('PRESENCE', (raw) => {
    const presence = accept(LIVE_NOTICES.PRESENCE, raw, 'PRESENCE');
    if (!presence) return;
    const match = presence.matchId ? held.matches.get(presence.matchId) : undefined;
    if (match) {
      match.freshness = {
        ...(match.freshness ?? { lastEventAt: null, lastStoredAt: null }),
        consoleOnline: presence.online,
      };
      notify();
    }
    onPresence?.(presence);
  });

  const feed: LiveFeed = {
    get connection() {
      return connection;
    },
    get lastError() {
      return lastError;
    },
    get lastRefused() {
      return lastRefused;
    },
    stats,
    matches: () => [...held.matches.values()],
    currentMatches: held.currentMatches,
    serverNow: time.serverNow,
    get clockOffsetMs() {
      return time.offsetMs;
    },
    get clockRttMs() {
      return time.rttMs;
    },
    stop() {
      stopped = true;
      time.stop();
      clearTimeout(fetchTimer);
      clearTimeout(refreshTimer);
      clearTimeout(refusedTimer);
      socket.disconnect();
    },
  };
  void loadWithRetry();
  return feed;
}

/**
 * Live state of some courts (or all) for the overlays and the court wall.
 *
 * - On start it fetches a full snapshot over HTTP (OBS may reload a page at any time),
 *   retrying with backoff while the server is unreachable, and refreshes it every
 *   FRESHNESS_REFRESH_MS (freshness changes without a match update when a console drops).
 * - It follows /live over Socket.io (auth {token, protocol: 1}): SUBSCRIBE_COURTS with
 *   `frames: true`, so however many courts it shows it gets at most one MATCH_UPDATES
 *   frame per broadcast window. After a reconnect the subscribe answers the snapshots
 *   again: an overlay shows snapshots, so it needs no event catch-up.
 * - Every update carries a full snapshot; one whose cursor is not above what we hold
 *   is a duplicate and is dropped, so nothing is applied twice.
 * The last data stays shown while offline; `connection` tells the page to mark it stale.
 */
import { io } from '../socket.io.esm.min.js';
import { groupByCourt, selectCurrentMatch } from './court-view.js';
import { createTimeSync } from './time-sync.js';

export const PROTOCOL_VERSION = 1;
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

/**
 * @param {{ token: string, courts: string[] | null, onChange: (feed) => void,
 *           onPresence?: (presence) => void, socketPath?: string }} options
 */
export function createLiveFeed(options) {
  const { token, courts, onChange, onPresence } = options;
  const matches = new Map(); // id -> { snapshot, freshness }
  const stats = { updates: 0, frames: 0, duplicates: 0, gaps: 0, applied: 0, connects: 0 };
  let connection = 'connecting'; // 'connecting' | 'live' | 'offline'
  let lastError = null;
  let stopped = false;
  let fetchTimer = null;
  let refreshTimer = null;
  let refusedTimer = null;

  const wanted = (court) => !courts || courts.includes(court);
  const notify = () => onChange(feed);

  function knownCursor(matchId) {
    return matches.get(matchId)?.snapshot.cursor ?? 0;
  }

  /** Keep the newer snapshot; freshness is replaced whenever it comes along. */
  function apply(snapshot, freshness) {
    if (!snapshot || !wanted(snapshot.court)) return false;
    const held = matches.get(snapshot.id);
    if (held && held.snapshot.cursor > snapshot.cursor) return false;
    const changed =
      !held || held.snapshot.cursor !== snapshot.cursor || held.snapshot.status !== snapshot.status || freshness;
    matches.set(snapshot.id, { snapshot, freshness: freshness ?? held?.freshness ?? null });
    return Boolean(changed);
  }

  function currentMatches() {
    const result = [];
    for (const [court, list] of groupByCourt([...matches.values()].map((m) => m.snapshot))) {
      const current = selectCurrentMatch(list);
      if (current) result.push({ court, ...matches.get(current.id) });
    }
    return result;
  }

  // ---- HTTP snapshot ---------------------------------------------------------

  async function getJson(path) {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
    return response.json();
  }

  async function fetchSnapshots() {
    if (courts) {
      for (const court of courts) {
        const entry = await getJson(`/api/courts/${encodeURIComponent(court)}`);
        if (!entry) continue;
        for (const snapshot of entry.matches ?? []) apply(snapshot);
        apply(entry.match, entry.freshness);
      }
    } else {
      for (const entry of (await getJson('/api/courts')) ?? []) apply(entry.match, entry.freshness);
    }
  }

  async function loadWithRetry(delayMs = FETCH_RETRY_FIRST_MS) {
    if (stopped) return;
    try {
      await fetchSnapshots();
      if (stopped) return; // the page moved on (CasparCG update() to another court)
      notify();
      refreshTimer = setTimeout(() => loadWithRetry(), FRESHNESS_REFRESH_MS);
    } catch (error) {
      if (stopped) return;
      lastError = String(error);
      notify();
      fetchTimer = setTimeout(() => loadWithRetry(Math.min(delayMs * 2, FETCH_RETRY_MAX_MS)), delayMs);
    }
  }

  // ---- Socket.io /live -------------------------------------------------------

  const socket = io(`${options.socketPath ?? ''}/live`, {
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
    socket.emit('SUBSCRIBE_COURTS', courts ? { courts, frames: true } : { frames: true }, (ack) => {
      if (ack && ack.ok) for (const snapshot of ack.snapshots) apply(snapshot);
      notify();
    });
    notify();
  });

  socket.on('disconnect', () => {
    connection = 'offline';
    notify();
  });

  socket.on('connect_error', (error) => {
    connection = 'offline';
    lastError = error?.message ?? String(error);
    notify();
    // Socket.io retries network failures by itself, but not a refused handshake.
    if (!socket.active && !stopped) {
      clearTimeout(refusedTimer);
      refusedTimer = setTimeout(() => !stopped && socket.connect(), REFUSED_RETRY_MS);
    }
  });

  /** One match's update; true when it changed what we show. */
  function take(update) {
    stats.updates += 1;
    const held = knownCursor(update.matchId);
    if (matches.has(update.matchId) && update.cursor <= held) {
      stats.duplicates += 1;
      return false;
    }
    if (matches.has(update.matchId) && update.baseCursor > held) stats.gaps += 1; // snapshot is whole: still correct
    if (!apply(update.snapshot, update.freshness)) return false;
    stats.applied += 1;
    return true;
  }

  socket.on('MATCH_UPDATES', (frame) => {
    if (stopped) return;
    stats.frames += 1;
    let changed = false;
    for (const update of frame.updates) changed = take(update) || changed;
    if (changed) notify();
  });

  socket.on('MATCH_UPDATE', (update) => {
    if (!stopped && take(update)) notify();
  });

  socket.on('COURT_UPDATE', (message) => {
    // With freshness: the console feeding the match connected or dropped (viewers get no PRESENCE).
    if (apply(message.snapshot, message.freshness)) notify();
  });

  socket.on('PRESENCE', (presence) => {
    const held = presence.matchId ? matches.get(presence.matchId) : null;
    if (held) {
      held.freshness = {
        ...(held.freshness ?? { lastEventAt: null, lastStoredAt: null }),
        consoleOnline: presence.online,
      };
      notify();
    }
    onPresence?.(presence);
  });

  const feed = {
    get connection() {
      return connection;
    },
    get lastError() {
      return lastError;
    },
    stats,
    /** Every match we hold: { snapshot, freshness }. */
    matches: () => [...matches.values()],
    /** Each court's current match: { court, snapshot, freshness }, courts in natural order. */
    currentMatches,
    /** Server time now as this page reckons it (time:sync): what running clocks are read at. */
    serverNow: time.serverNow,
    /** This page's clock minus the server's, null before the first answer. */
    get clockOffsetMs() {
      return time.offsetMs;
    },
    /** Round trip of the exchange that offset comes from: the offset is right to within half of it. */
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
  loadWithRetry();
  return feed;
}

/**
 * The extension's Socket.io link to Scoredesk's `/live` namespace with a viewer token.
 *
 * On every connection (the first, and each reconnect after a server restart or a network
 * cut) it catches up by cursor before following live: SUBSCRIBE_MATCH `{matchId, since}`
 * for every match it holds (the server sends the stored events after `since`, then joins
 * it to the match's room), then SUBSCRIBE_COURTS for the configured courts (their
 * snapshots; new matches are adopted from them). The server runs one socket's commands in
 * order, so the courts' ack comes after every catch-up update. Contract v1 court
 * subscription (no frames): a socket in a match's room and its court's room gets one copy
 * of each update. Whatever arrives is applied by cursor (court-feed.ts): nothing twice.
 *
 * Resync (a fresh connection, so the same catch-up runs) when the server shows a gap
 * (baseCursor above what is held, or a snapshot ahead without its events), drops the
 * socket (a viewer that did not read) or ends the session.
 */
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import {
  courtUpdateSchema,
  matchUpdateSchema,
  matchUpdatesFrameSchema,
  subscribeCourtsAckSchema,
  subscribeMatchAckSchema,
} from '../../../shared/live-messages.js';
import { describeZodError, PROTOCOL_VERSION } from '../../../shared/protocol.js';
import { CourtFeed, type CourtView, type LinkState, type SnapshotOutcome, type UpdateOutcome } from './court-feed.js';

/** SUBSCRIBE_MATCH answers before its catch-up: a healthy server answers on loopback in milliseconds. */
const MATCH_ACK_TIMEOUT_MS = 10_000;
/** The courts' ack comes after every catch-up page (each page may take the server's drain timeout, 10 s). */
const COURTS_ACK_TIMEOUT_MS = 60_000;
/** Socket.io's own reconnect backoff after a network failure or a server restart. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
/** A refused handshake (bad token, server not ready) does not reconnect by itself: retry this late. */
const REFUSED_RETRY_MS = 5_000;
/** Resyncs closer together than this wait: a server that keeps showing gaps is not hammered. */
const RESYNC_MIN_INTERVAL_MS = 1_000;

export interface LinkLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The extension's link status (its own replicant), for a dashboard or a graphic. */
export interface LinkStatus {
  link: LinkState;
  /** The last problem, readable by an operator (never the token). */
  lastError: string | null;
  connects: number;
  resyncs: number;
  /** Messages refused by the shared schemas (logged with the field). */
  invalid: number;
}

export interface LiveLinkOptions {
  /** Scoredesk's base URL, e.g. http://10.0.0.5:3001. */
  url: string;
  /** A viewer token (POST /api/viewer-tokens). */
  token: string;
  courts: string[];
  eventsKept: number;
  restored?: Partial<CourtView>[];
  onCourt(view: CourtView): void;
  onStatus(status: LinkStatus): void;
  log: LinkLogger;
}

export interface LiveLink {
  stop(): void;
}

export function startLiveLink(options: LiveLinkOptions): LiveLink {
  const { courts, log } = options;
  const feed = new CourtFeed(courts, options.eventsKept, options.restored ?? []);
  const status: LinkStatus = { link: 'connecting', lastError: null, connects: 0, resyncs: 0, invalid: 0 };
  const published = new Map<string, string>();
  let publishedStatus = '';
  /** Bumped on every connection: a subscribe sequence of an older one stops where it is. */
  let generation = 0;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let lastResyncAt = -Infinity;

  const socket: Socket = io(`${options.url.replace(/\/+$/, '')}/live`, {
    auth: { token: options.token, protocol: PROTOCOL_VERSION },
    transports: ['websocket', 'polling'],
    reconnectionDelay: RECONNECT_FIRST_MS,
    reconnectionDelayMax: RECONNECT_MAX_MS,
  });

  function publish(): void {
    for (const court of courts) {
      const view = feed.view(court, status.link);
      const json = JSON.stringify(view);
      if (published.get(court) === json) continue;
      published.set(court, json);
      options.onCourt(view);
    }
    const json = JSON.stringify(status);
    if (json !== publishedStatus) {
      publishedStatus = json;
      options.onStatus({ ...status });
    }
  }

  function setLink(link: LinkState, error?: string): void {
    status.link = link;
    if (error !== undefined) status.lastError = error;
    publish();
  }

  function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> | null {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    status.invalid += 1;
    status.lastError = `${what} refused: ${describeZodError(parsed.error)}`;
    log.warn(`scoredesk: ${status.lastError}`);
    publish();
    return null;
  }

  function retryLater(ms: number): void {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!stopped && !socket.connected && !socket.active) socket.connect();
    }, ms);
  }

  /** A fresh connection: the same catch-up by cursor runs from what is held. */
  function resync(reason: string): void {
    if (stopped) return;
    const wait = lastResyncAt + RESYNC_MIN_INTERVAL_MS - Date.now();
    lastResyncAt = Date.now() + Math.max(0, wait);
    status.resyncs += 1;
    log.warn(`scoredesk: resync (${reason})`);
    generation++;
    socket.disconnect();
    setLink('offline', `resync: ${reason}`);
    retryLater(Math.max(0, wait));
  }

  function onUpdateOutcome(outcome: UpdateOutcome): boolean {
    switch (outcome.kind) {
      case 'applied':
        return true;
      case 'duplicate':
      case 'other-court':
        return false;
      case 'gap':
        resync(`gap in ${outcome.matchId}: update from cursor ${outcome.baseCursor}, held ${outcome.held}`);
        return false;
    }
  }

  function onSnapshotOutcome(outcome: SnapshotOutcome): boolean {
    switch (outcome.kind) {
      case 'adopted':
      case 'same':
        return true;
      case 'other-court':
        return false;
      case 'reset':
        log.warn(`scoredesk: ${outcome.matchId} is back at cursor ${outcome.cursor} (held ${outcome.held})`);
        return true;
      case 'ahead':
        resync(`${outcome.matchId} at cursor ${outcome.cursor} without its events after ${outcome.held}`);
        return false;
    }
  }

  async function subscribeAll(gen: number): Promise<void> {
    for (const { matchId, cursor } of feed.held()) {
      const raw: unknown = await socket
        .timeout(MATCH_ACK_TIMEOUT_MS)
        .emitWithAck('SUBSCRIBE_MATCH', { matchId, since: cursor });
      if (gen !== generation) return;
      const ack = parse(subscribeMatchAckSchema, raw, 'SUBSCRIBE_MATCH ack');
      if (!ack) throw new Error('SUBSCRIBE_MATCH ack refused');
      if (ack.ok) feed.takeFreshness(matchId, ack.freshness);
      else if (ack.code === 'UNKNOWN_MATCH') feed.forget(matchId);
      else throw new Error(`SUBSCRIBE_MATCH ${matchId}: ${ack.code} ${ack.message}`);
    }
    const raw: unknown = await socket.timeout(COURTS_ACK_TIMEOUT_MS).emitWithAck('SUBSCRIBE_COURTS', { courts });
    if (gen !== generation) return;
    const ack = parse(subscribeCourtsAckSchema, raw, 'SUBSCRIBE_COURTS ack');
    if (!ack) throw new Error('SUBSCRIBE_COURTS ack refused');
    if (!ack.ok) throw new Error(`SUBSCRIBE_COURTS: ${ack.code} ${ack.message}`);
    for (const snapshot of ack.snapshots) onSnapshotOutcome(feed.takeSnapshot(snapshot, undefined));
    if (gen !== generation) return; // a snapshot ahead started a resync
    feed.keepOnly(new Set(ack.snapshots.map((s) => s.id)));
    status.lastError = null;
    setLink('live');
    log.info(`scoredesk: live on ${courts.length} court(s), caught up by cursor`);
  }

  socket.on('connect', () => {
    const gen = ++generation;
    status.connects += 1;
    setLink('catching-up');
    subscribeAll(gen).catch((error: Error) => {
      if (gen === generation) resync(error.message);
    });
  });

  socket.on('disconnect', (reason) => {
    if (stopped) return;
    generation++;
    setLink('offline', `disconnected: ${reason}`);
    // The server dropped this socket (a viewer that did not read, a session that ended): Socket.io does not retry that.
    if (reason === 'io server disconnect') retryLater(RECONNECT_FIRST_MS);
  });

  socket.on('connect_error', (error: Error & { data?: { message?: string } }) => {
    if (stopped) return;
    const detail = error.data?.message ? `${error.message}: ${error.data.message}` : error.message;
    if (socket.active) return setLink('offline', `cannot reach ${options.url}: ${detail}`);
    // Refused at the handshake (UNAUTHORIZED, FORBIDDEN, PROTOCOL): say so (once per reason), retry slowly.
    if (status.lastError !== `refused: ${detail}`) log.error(`scoredesk: /live refused the connection: ${detail}`);
    setLink('refused', `refused: ${detail}`);
    retryLater(REFUSED_RETRY_MS);
  });

  socket.on('MATCH_UPDATE', (raw: unknown) => {
    const update = parse(matchUpdateSchema, raw, 'MATCH_UPDATE');
    if (update && onUpdateOutcome(feed.takeUpdate(update))) publish();
  });

  socket.on('MATCH_UPDATES', (raw: unknown) => {
    const frame = parse(matchUpdatesFrameSchema, raw, 'MATCH_UPDATES');
    if (!frame) return;
    let changed = false;
    for (const update of frame.updates) changed = onUpdateOutcome(feed.takeUpdate(update)) || changed;
    if (changed) publish();
  });

  socket.on('COURT_UPDATE', (raw: unknown) => {
    const message = parse(courtUpdateSchema, raw, 'COURT_UPDATE');
    if (message && onSnapshotOutcome(feed.takeSnapshot(message.snapshot, message.freshness))) publish();
  });

  socket.on('session:end', (raw: { code?: string; message?: string }) => {
    log.warn(`scoredesk: session ended: ${raw?.code ?? ''} ${raw?.message ?? ''}`);
    resync(`session ended (${raw?.code ?? 'unknown'})`);
  });

  publish();
  return {
    stop() {
      stopped = true;
      generation++;
      if (retryTimer) clearTimeout(retryTimer);
      socket.disconnect();
    },
  };
}

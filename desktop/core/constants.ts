/**
 * Every timing and limit of the console core in one place, each with the reason for its value.
 */
import { LIMITS } from '../../shared/protocol.js';

/** First reconnect delay: quick enough that a blip of Wi-Fi costs the operator nothing. */
export const BACKOFF_BASE_MS = 500;
/** Longest reconnect delay: a console away for hours still notices the server within half a minute. */
export const BACKOFF_MAX_MS = 30_000;
/** Growth per failed attempt. */
export const BACKOFF_FACTOR = 2;
/** Share of each delay that is random, so a venue's consoles do not all reconnect in the same instant after a restart. */
export const BACKOFF_JITTER = 0.5;
/** After a refusal (bad credentials, protocol) retry rarely: only a settings change or a server upgrade can help. */
export const REFUSED_RETRY_MS = 60_000;

/** Give up a connection attempt after this long (socket.io connect timeout). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Login request timeout. */
export const LOGIN_TIMEOUT_MS = 5_000;

/**
 * Presence report period while connected. It doubles as the app-level heartbeat: each report is
 * acknowledged, so a dead link is noticed within about HEARTBEAT_MISSES_ALLOWED * HEARTBEAT_INTERVAL_MS
 * + HEARTBEAT_TIMEOUT_MS (~7 s) even when TCP still believes the connection is up (a pulled cable,
 * a sleeping access point); socket.io's own ping takes 45 s by default.
 */
export const HEARTBEAT_INTERVAL_MS = 2_000;
/** One heartbeat not acknowledged within this long is a miss. */
export const HEARTBEAT_TIMEOUT_MS = 3_000;
/** Consecutive misses that mean a dead link: one slow answer (a busy server, a PostgreSQL hiccup) is not enough. */
export const HEARTBEAT_MISSES_ALLOWED = 2;
/** Presence is reported on change too, but never more often than this (a rally of points is one report). */
export const PRESENCE_MIN_GAP_MS = 1_000;

/**
 * Events per push: the protocol's maximum, because each push waits for one server batch
 * window + commit, so bigger pushes drain a backlog faster (10,000 events in 20 round trips).
 */
export const PUSH_CHUNK_EVENTS = LIMITS.MAX_EVENTS_PER_PUSH;
/**
 * Bytes of events per push: 500 events with long notes would pass the server's message limit,
 * which closes the connection; three quarters of it leaves room for the envelope.
 */
export const PUSH_MAX_BYTES = Math.floor(LIMITS.MAX_MESSAGE_BYTES * 0.75);
/**
 * A push not acknowledged within this long is treated as a dead link: the socket is dropped and
 * the outbox resent from the last confirmed seq after reconnecting (the server answers duplicates).
 * Generous, because the server holds acks until PostgreSQL committed (a group commit, longer while storage is slow).
 */
export const PUSH_ACK_TIMEOUT_MS = 10_000;
/** Wait after a retryable refusal (UNAVAILABLE, RATE_LIMITED) before the next push of that match. */
export const PUSH_RETRY_MS = 1_000;
/** Timeout of pull, claim and schedule requests. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Log lines sent in one view: enough for the operator's list; older ones are counted in logOmitted. */
export const VIEW_LOG_LIMIT = 300;

/** The timings a test or a fault drill may shorten (a lost ack should not cost a test 10 s). */
export interface SyncTuning {
  pushAckTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  pushChunkEvents: number;
}

export const DEFAULT_TUNING: SyncTuning = {
  pushAckTimeoutMs: PUSH_ACK_TIMEOUT_MS,
  heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
  heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
  pushChunkEvents: PUSH_CHUNK_EVENTS,
};

/**
 * Hot standby: how often a standby console pulls the match it mirrors. Half a second keeps
 * the mirror within one rally of the primary at the cost of one small match:pull per tick.
 */
export const STANDBY_MIRROR_MS = 500;
/** The one key that takes a mirrored match over (shown on the standby's screen). */
export const TAKEOVER_KEY = 'Ctrl+Shift+T';

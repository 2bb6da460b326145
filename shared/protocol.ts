/**
 * Scoredesk wire protocol v1 (see docs/protocol.md for the full contract).
 *
 * Invariants this protocol guarantees:
 * 1. One writer per match: the console holding the match's current epoch. Events
 *    carrying an older epoch are refused with STALE_EPOCH.
 * 2. Identity: an event is (matchId, seq); the server stores each once. A resend of a
 *    stored event is acknowledged as a duplicate; a gap is refused with GAP + expectedSeq.
 * 3. Commit, then acknowledge, then broadcast: `ok: true` means committed to PostgreSQL,
 *    and no viewer ever sees an event that is not stored.
 * 4. Every stored event has a cursor; cursors increase in commit order, so reading
 *    "after cursor X" never skips a row. MATCH_UPDATE.baseCursor equals the cursor of
 *    the previous update that socket got for that match, so a gap is visible.
 * 5. Catch-up is by cursor from PostgreSQL, for consoles and viewers alike.
 * 6. Ordering never uses wall clocks; `at` is shown, never sorted on.
 */
import { z } from 'zod';
import { matchEventSchema, type StoredEvent } from './events.js';
import { storableString, storableTime } from './storable.js';
import { courtSchema, createMatchSchema, matchIdSchema, type MatchSnapshot, type MatchMeta } from './match.js';

export const PROTOCOL_VERSION = 1;
/** The protocol versions this build speaks (a handshake outside them is refused with PROTOCOL). */
export const SUPPORTED_PROTOCOLS = { min: 1, max: PROTOCOL_VERSION } as const;

export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_MATCH',
  'GAP',
  'STALE_EPOCH',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'PROTOCOL',
  'RATE_LIMITED',
  'RULES',
  'UNAVAILABLE',
  'NOT_FOUND',
  /**
   * events:push: a resend under a stored seq whose canonical content (shared/same-event.ts)
   * differs from the stored event, "events.N: seq S differs from the stored event".
   * HTTP 409: the user or match exists.
   */
  'CONFLICT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
/** Every code a failure (ack, HTTP error, connect_error data) may carry. */
export const errorCodeSchema = z.enum(ERROR_CODES);

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** Contract defaults; the server may be configured lower or higher. */
export const LIMITS = {
  /** Events in one events:push: big enough to drain a backlog fast, small enough to commit in one batch. */
  MAX_EVENTS_PER_PUSH: 500,
  /** Socket.io maxHttpBufferSize: 500 small events fit easily; anything bigger is abuse. */
  MAX_MESSAGE_BYTES: 256 * 1024,
  /** Page size of catch-up reads (events endpoint, match:pull, SUBSCRIBE_MATCH since). */
  MAX_PAGE_EVENTS: 1000,
} as const;

export const ROLES = ['admin', 'scorer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Handshake `auth` of both namespaces, as clients should send it. The server is more
 * lenient (server/sockets/handshake.ts): the token may come in an `Authorization: Bearer`
 * header instead, `protocol` may be a decimal string ("1"), and `consoleId` is required
 * on /console only.
 */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1),
  protocol: z.number().int(),
  consoleId: z.uuid().optional(),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

// ---- /console ------------------------------------------------------------

/** The streams of events:push: the official score (default) and a verifying scorer's cross-check. */
export const PUSH_STREAMS = ['official', 'verify'] as const;
export type PushStream = (typeof PUSH_STREAMS)[number];

export const eventsPushSchema = z
  .object({
    matchId: matchIdSchema,
    epoch: z.number().int().min(0),
    events: z.array(matchEventSchema).min(1).max(LIMITS.MAX_EVENTS_PER_PUSH),
    /** Set when the console created this match offline: the server creates it on first push. */
    create: createMatchSchema.required({ id: true }).optional(),
    /**
     * Contract 1.1: `verify` is a second scorer's own stream of the match (own seq space per
     * console, epoch 0, never claims, never fenced), stored apart and compared with the official one.
     */
    stream: z.enum(PUSH_STREAMS).optional(),
  })
  .strict();
export type EventsPush = z.infer<typeof eventsPushSchema>;

export const matchClaimSchema = z.object({ matchId: matchIdSchema, expectedEpoch: z.number().int().min(0) }).strict();
export const matchPullSchema = z
  .object({
    matchId: matchIdSchema,
    after: z.number().int().min(0),
    limit: z.number().int().min(1).max(LIMITS.MAX_PAGE_EVENTS).optional(),
  })
  .strict();

/** Roles of a console on its match (contract 1.1). */
export const CONSOLE_ROLES = ['primary', 'standby'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A device's battery as the console reads it (Electron's powerMonitor, the browser's Battery API). */
export const batterySchema = z.object({ level: z.number().min(0).max(1), charging: z.boolean() }).strict();
export type Battery = z.infer<typeof batterySchema>;

/**
 * Round trips and offsets beyond these are not measurements but nonsense: a day of clock
 * offset and a minute of round trip are far past every alert threshold already.
 */
const MAX_REPORTED_RTT_MS = 60_000;
const MAX_REPORTED_OFFSET_MS = 24 * 60 * 60 * 1000;

/** Console presence, for the director's court wall. */
export const presenceSchema = z
  .object({
    court: courtSchema.nullable(),
    matchId: matchIdSchema.nullable(),
    pending: z.number().int().min(0),
    lastConfirmedAt: storableTime().nullable(),
    state: storableString().max(32),
    // Device health (contract 1.1), all optional for v1 consoles; null: not known.
    role: z.enum(CONSOLE_ROLES).nullable().optional(),
    battery: batterySchema.nullable().optional(),
    /** Latest round trip of the console's time:sync exchange. */
    rttMs: z.number().min(0).max(MAX_REPORTED_RTT_MS).nullable().optional(),
    /** Console clock minus server clock, from its time:sync exchange with the smallest round trip. */
    clockOffsetMs: z.number().min(-MAX_REPORTED_OFFSET_MS).max(MAX_REPORTED_OFFSET_MS).nullable().optional(),
    appVersion: storableString().min(1).max(64).nullable().optional(),
  })
  .strict();
export type Presence = z.infer<typeof presenceSchema>;

/**
 * time:sync (both namespaces, added in 1.1): an NTP-style exchange. The client notes its
 * send and receive times; the server answers when it received the request and when it sent
 * the answer (epoch ms, server clock). Arithmetic in shared/time-base.js.
 */
export const timeSyncSchema = z.object({}).strict();
export type TimeSyncAck = { ok: true; receivedAt: number; sentAt: number } | Fail;

export const scheduleQuerySchema = z.object({ court: courtSchema.optional() }).strict();

export type Fail = { ok: false; code: ErrorCode; message: string };
export type PushAck = { ok: true; ackedSeq: number; cursor: number } | (Fail & { expectedSeq?: number });
/** The ack of a verify push: its events are stored apart and have no cursor. */
export type VerifyPushAck = { ok: true; ackedSeq: number } | (Fail & { expectedSeq?: number });
export type ClaimAck = { ok: true; epoch: number } | (Fail & { epoch?: number });
export type PullAck =
  | {
      ok: true;
      events: StoredEvent[];
      upToDate: boolean;
      epoch: number;
      meta: MatchMeta;
      /** Hot standby (issue 16): whether the match's writer console is connected now (null: no writer yet). */
      writerOnline?: boolean | null;
    }
  | Fail;
export type ScheduleAck = { ok: true; matches: MatchSnapshot[] } | Fail;
export type SimpleAck = { ok: true } | Fail;

export interface ConsoleClientToServer {
  'events:push': (msg: EventsPush, ack: (res: PushAck) => void) => void;
  'match:claim': (msg: z.infer<typeof matchClaimSchema>, ack: (res: ClaimAck) => void) => void;
  'match:pull': (msg: z.infer<typeof matchPullSchema>, ack: (res: PullAck) => void) => void;
  'schedule:list': (msg: z.infer<typeof scheduleQuerySchema>, ack: (res: ScheduleAck) => void) => void;
  'presence:report': (msg: Presence, ack?: (res: SimpleAck) => void) => void;
  'time:sync': (msg: Record<string, never>, ack: (res: TimeSyncAck) => void) => void;
}

export interface ConsoleServerToClient {
  /** The match moved to another console: this one must stop writing. */
  'match:fenced': (msg: { matchId: string; epoch: number }) => void;
  /** A director handed this match to this console (POST /api/matches/:id/handover): pull, then write with `epoch`. */
  'match:assigned': (msg: { matchId: string; epoch: number }) => void;
  /** The session ends (token expired, limits): the client should re-authenticate. */
  'session:end': (msg: ErrorBody) => void;
  /** The schedule for this console's court changed. */
  'schedule:changed': (msg: { court: string }) => void;
}

// ---- /live ---------------------------------------------------------------

export const subscribeMatchSchema = z
  .object({ matchId: matchIdSchema, since: z.number().int().min(0).optional() })
  .strict();
export const subscribeCourtsSchema = z
  .object({
    courts: z.array(courtSchema).max(200).optional(),
    /**
     * Added in 1.1: `true` asks for one `MATCH_UPDATES` frame per window carrying every
     * followed match's update, instead of one `MATCH_UPDATE` per match (v1 behaviour).
     */
    frames: z.boolean().optional(),
  })
  .strict();
export const unsubscribeMatchSchema = z.object({ matchId: matchIdSchema }).strict();

/** Freshness carried by every update, so graphics can hide stale data. */
export interface Freshness {
  /** `at` of the match's last event, or null. */
  lastEventAt: string | null;
  /** Server time the match's last event was stored. */
  lastStoredAt: string | null;
  /** Whether the console feeding the match is connected right now. */
  consoleOnline: boolean;
  /**
   * Contract 1.1: whether a verifying scorer's stream agrees with the official one (false
   * after 5 s of disagreement, shared/verification.ts); null while the match has no verify
   * stream. Every freshness this server sends has it; optional for clients of older servers.
   */
  verified?: boolean | null;
}

export interface MatchUpdate {
  matchId: string;
  baseCursor: number;
  cursor: number;
  events: StoredEvent[];
  snapshot: MatchSnapshot;
  freshness: Freshness;
}

export type SubscribeAck = { ok: true; snapshot: MatchSnapshot; freshness: Freshness } | Fail;
export type SubscribeCourtsAck = { ok: true; snapshots: MatchSnapshot[] } | Fail;

export interface LiveClientToServer {
  SUBSCRIBE_MATCH: (msg: z.infer<typeof subscribeMatchSchema>, ack: (res: SubscribeAck) => void) => void;
  SUBSCRIBE_COURTS: (msg: z.infer<typeof subscribeCourtsSchema>, ack: (res: SubscribeCourtsAck) => void) => void;
  UNSUBSCRIBE_MATCH: (msg: z.infer<typeof unsubscribeMatchSchema>, ack: (res: SimpleAck) => void) => void;
  'time:sync': (msg: Record<string, never>, ack: (res: TimeSyncAck) => void) => void;
}

/** One window's updates for a socket that follows courts with `frames: true`, in cursor order. */
export interface MatchUpdatesFrame {
  updates: MatchUpdate[];
}

export interface LiveServerToClient {
  MATCH_UPDATE: (msg: MatchUpdate) => void;
  /** Court followers that asked for `frames`: at most one per broadcast window, whatever the number of courts. */
  MATCH_UPDATES: (msg: MatchUpdatesFrame) => void;
  /**
   * A court's current match changed (court subscriptions): start following the new one.
   * Also sent with `freshness` (and the snapshot the socket already has) when the console
   * feeding a followed match connects or drops: what non-admin sockets get instead of PRESENCE.
   */
  COURT_UPDATE: (msg: { court: string; snapshot: MatchSnapshot; freshness?: Freshness }) => void;
  /** Console presence changed (court wall; admin sockets only: it names users and consoles). */
  PRESENCE: (msg: ConsolePresence) => void;
  'session:end': (msg: ErrorBody) => void;
}

/** Device health fields (role, battery, rttMs, clockOffsetMs, appVersion) are null when not known. */
export interface ConsolePresence extends Presence {
  consoleId: string;
  user: string;
  online: boolean;
  /** Server time of the last report or of the disconnect. */
  since: string;
}

/** Turn a zod error into the contract's VALIDATION message, naming the field. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  if (issue.code === 'unrecognized_keys')
    return `${path === '(root)' ? '' : path + ': '}unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${path}: ${issue.message}`;
}

/**
 * The HTTP API both ways: the bodies and queries clients send (strict: unknown fields are
 * refused with VALIDATION naming them) and every JSON answer the server gives (at the end),
 * which clients parse on receipt and the server's handlers are typed with. Errors are
 * `{"error": {code, message}}` (httpErrorSchema, shared/protocol/common.ts).
 */
import { z } from 'zod';
import { VERIFICATION_STATES, WRITER_CHANGE_KINDS, type MatchAudit } from './audit.js';
import { storedEventSchema } from './events.js';
import { courtSchema } from './match.js';
import {
  consolePresenceSchema,
  freshnessSchema,
  httpErrorSchema,
  LIMITS,
  matchSnapshotSchema,
  ROLES,
  roleSchema,
  type Assert,
  type Same,
} from './protocol.js';

export const usernameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only');

export const loginSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) })
  .strict();

export const createUserSchema = z
  .object({
    username: usernameSchema,
    password: z.string().min(8, 'at least 8 characters').max(200),
    role: z.enum(ROLES),
    courts: z.array(courtSchema).max(200).optional(),
  })
  .strict();

export const eventsQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(LIMITS.MAX_PAGE_EVENTS).default(LIMITS.MAX_PAGE_EVENTS),
  })
  .strict();

export const handoverSchema = z.object({ consoleId: z.uuid().nullable().optional() }).strict();

export const matchListQuerySchema = z.object({ court: courtSchema.optional() }).strict();

/**
 * Graphics viewer tokens (POST /api/viewer-tokens). Overlay URLs carry the token, and an
 * operator sets them up once per event: the default outlives a tournament week so a URL
 * does not die mid-event; the cap bounds how long a leaked URL stays usable (revocation is
 * key rotation, which also ends every other session, so it should be rare).
 */
export const VIEWER_TOKEN_DEFAULT_TTL_HOURS = 7 * 24;
export const VIEWER_TOKEN_MAX_TTL_HOURS = 30 * 24;

/** A label names the graphics partner or tool; it becomes the token's subject `viewer:<label>`. */
export const viewerTokenLabelSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.@-]*$/, 'starts with a letter or digit; letters, digits, spaces and _ . @ - only');

export const createViewerTokenSchema = z
  .object({
    label: viewerTokenLabelSchema,
    ttlHours: z.number().int().min(1).max(VIEWER_TOKEN_MAX_TTL_HOURS).default(VIEWER_TOKEN_DEFAULT_TTL_HOURS),
    /** Court the scorebug URL shows; without it the URL ends in `&court=` for the operator to fill in. */
    court: courtSchema.optional(),
  })
  .strict();

/**
 * A console's device token (POST /api/auth/device-token): the console signs in with the
 * password once, trades the session token for this and forgets the password. Long enough
 * to cover a season of weekends, revocable one by one (POST /api/tokens/revoke).
 */
export const DEVICE_TOKEN_TTL_HOURS = 30 * 24;

export const deviceTokenSchema = z.object({ consoleId: z.uuid() }).strict();

/**
 * Token ids (jti) are UUIDs; revoked ones are kept this long, beyond the longest lifetime
 * a token can have (viewer and device tokens: 30 days), then dropped.
 */
export const REVOKED_TOKEN_KEEP_HOURS = 31 * 24;

export const revokeTokenSchema = z.object({ tokenId: z.string().min(1).max(64) }).strict();

/** PATCH /api/users/:username: a disabled user's tokens stop working at once. */
export const updateUserSchema = z.object({ disabled: z.boolean() }).strict();

// ---- answers ---------------------------------------------------------------------------

const isoTime = z.iso.datetime({ offset: true });
const cursor = z.number().int().min(0);
const count = z.number().int().min(0);

/** POST /api/auth/login. */
export const loginReplySchema = z.object({ token: z.string().min(1), role: roleSchema });
export type LoginReply = z.infer<typeof loginReplySchema>;

/** POST /api/auth/device-token (201): the console keeps the token instead of the password. */
export const deviceTokenReplySchema = z.object({
  token: z.string().min(1),
  tokenId: z.string().min(1),
  role: roleSchema,
  expiresAt: isoTime,
});
export type DeviceTokenReply = z.infer<typeof deviceTokenReplySchema>;

/** POST /api/users (201). */
export const createdUserSchema = z.object({ username: z.string(), role: roleSchema, courts: z.array(z.string()) });
export type CreatedUser = z.infer<typeof createdUserSchema>;

/** PATCH /api/users/:username. */
export const userUpdatedSchema = z.object({ username: z.string(), disabled: z.boolean() });
export type UserUpdated = z.infer<typeof userUpdatedSchema>;

/** The URLs a viewer token answer carries, each with the token as `?token=`. */
export const overlayUrlsSchema = z.object({
  scorebug: z.string(),
  courts: z.string(),
  vmix: z.string(),
  /** The same rows as XML and as CSV (vMix data sources of those kinds, xmllint, spreadsheets). */
  vmixXml: z.string(),
  vmixCsv: z.string(),
  stream: z.string(),
});
export type OverlayUrls = z.infer<typeof overlayUrlsSchema>;

/** POST /api/viewer-tokens (201). */
export const viewerTokenReplySchema = z.object({
  token: z.string().min(1),
  /** Revoke it with POST /api/tokens/revoke (absent from pipelines that mint tokens without ids). */
  tokenId: z.string().optional(),
  label: z.string(),
  subject: z.string(),
  role: z.literal('viewer'),
  expiresAt: isoTime,
  overlayUrls: overlayUrlsSchema,
});
export type ViewerTokenReply = z.infer<typeof viewerTokenReplySchema>;

/** GET /api/tokens: one entry per token id with live connections (all processes). */
export const tokenConnectionsSchema = z.object({
  tokenId: z.string(),
  /** The user's name, or `viewer:<label>` for a graphics token. */
  subject: z.string(),
  role: roleSchema,
  kind: z.enum(['session', 'device', 'viewer']),
  /** Sockets on every process, and per namespace. */
  sockets: count,
  byNamespace: z.record(z.string(), count),
  /** SSE streams open on the process that answered. */
  streams: count,
  /** /console sockets: the consoles using this token. */
  consoleIds: z.array(z.string()),
});
export type TokenConnections = z.infer<typeof tokenConnectionsSchema>;
export const tokenListSchema = z.array(tokenConnectionsSchema);

/** POST /api/tokens/revoke. */
export const tokenRevokedSchema = z.object({ tokenId: z.string(), revoked: z.literal(true) });
export type TokenRevoked = z.infer<typeof tokenRevokedSchema>;

/** POST /api/matches (201) and GET /api/matches/:id answer one snapshot; GET /api/matches an array. */
export const matchListSchema = z.array(matchSnapshotSchema);

/** GET /api/matches/:id/events, ascending by cursor. */
export const eventPageSchema = z.object({
  events: z.array(storedEventSchema),
  /** Cursor to continue after: the last event's, or `after` when the page is empty. */
  cursor,
  upToDate: z.boolean(),
});
export type EventPage = z.infer<typeof eventPageSchema>;

/** POST /api/matches/:id/handover: the new epoch, the console named (null: the first to claim) and the fenced one. */
export const handoverReplySchema = z.object({
  matchId: z.string(),
  epoch: count,
  consoleId: z.string().nullable(),
  previous: z.string().nullable(),
});
export type HandoverReply = z.infer<typeof handoverReplySchema>;

/** GET /api/presence. */
export const presenceListSchema = z.array(consolePresenceSchema);

/** GET /healthz: 200 `{ok: true}`, or 503 with the error body. */
export const healthSchema = z.union([z.object({ ok: z.literal(true) }), httpErrorSchema]);
export type Health = z.infer<typeof healthSchema>;

/** GET /api/director/settings (admin): the court wall's alert thresholds and the admin UI link. */
export const directorSettingsSchema = z.object({
  adminUiEnabled: z.boolean(),
  adminUiUrl: z.string().nullable(),
  consoleOfflineAlertMs: z.number(),
  backlogAlertEvents: z.number(),
});
export type DirectorSettings = z.infer<typeof directorSettingsSchema>;

/** GET /api/courts: every court's current match with its freshness. */
export const courtEntrySchema = z.object({
  court: z.string(),
  match: matchSnapshotSchema,
  freshness: freshnessSchema,
  stale: z.boolean(),
});
export type CourtEntry = z.infer<typeof courtEntrySchema>;
export const courtBoardSchema = z.array(courtEntrySchema);
/** GET /api/courts/:court: its current match, plus every match on it. */
export const courtDetailSchema = courtEntrySchema.extend({ matches: z.array(matchSnapshotSchema) });
export type CourtDetail = z.infer<typeof courtDetailSchema>;

const feedValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/**
 * GET /api/feeds/vmix (an array of these): flat rows with the contract's columns and every
 * other column of FEED_COLUMNS (server/broadcast/feed-rows.ts), one type per column.
 */
export const feedRowSchema = z
  .object({
    court: z.string(),
    matchId: z.string(),
    sport: z.string(),
    status: z.string(),
    home: z.string(),
    away: z.string(),
    homeScore: z.number(),
    awayScore: z.number(),
  })
  .catchall(feedValue);
export type FeedRowAnswer = z.infer<typeof feedRowSchema>;

// ---- GET /api/matches/:id/audit (JSON) ---------------------------------------------------

const auditEvent = z.object({
  kind: z.literal('event'),
  cursor,
  seq: count,
  epoch: count,
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  consoleId: z.string(),
  user: z.string().nullable(),
  consoleAt: z.string(),
  storedAt: isoTime,
  undoes: z.object({ seq: count, type: z.string().nullable() }).nullable(),
  cancelled: z.boolean(),
  reason: z.string().nullable(),
});
const auditWriterChange = z.object({
  kind: z.literal('writer-change'),
  storedAt: isoTime,
  change: z.enum(WRITER_CHANGE_KINDS),
  epoch: count,
  consoleId: z.string().nullable(),
  previousConsoleId: z.string().nullable(),
  fencedConsoleId: z.string().nullable(),
  user: z.string().nullable(),
});
const auditFencedPush = z.object({
  kind: z.literal('fenced-push'),
  storedAt: isoTime,
  consoleId: z.string().nullable(),
  user: z.string().nullable(),
  epoch: count,
  firstSeq: count,
  lastSeq: count,
  events: count,
});
const auditVerification = z.object({
  kind: z.literal('verification'),
  storedAt: isoTime,
  state: z.enum(VERIFICATION_STATES),
  detail: z.record(z.string(), z.unknown()),
});
export const matchAuditSchema = z.object({
  match: z.object({
    id: z.string(),
    sport: z.string(),
    court: z.string(),
    home: z.string(),
    away: z.string(),
    status: z.string(),
  }),
  generatedAt: isoTime,
  entries: z.array(z.discriminatedUnion('kind', [auditEvent, auditWriterChange, auditFencedPush, auditVerification])),
});
/** The audit's own types (shared/audit.ts, which assembles it) and this schema describe one shape. */
export type AuditChecked = Assert<Same<z.infer<typeof matchAuditSchema>, MatchAudit>>;

// ---- GET /api/stream: the data of each Server-Sent Event ---------------------------------

/** `snapshot`: a match's snapshot with its freshness; a change adds its run of events and the previous cursor. */
export const sseSnapshotSchema = matchSnapshotSchema.extend({
  freshness: freshnessSchema.nullable(),
  baseCursor: cursor.nullable().optional(),
  events: z.array(storedEventSchema).optional(),
});
export type SseSnapshot = z.infer<typeof sseSnapshotSchema>;
/** `freshness`: after a resume, the current freshness of every followed match. */
export const sseFreshnessSchema = z.object({ matchId: z.string(), cursor, freshness: freshnessSchema.nullable() });
export type SseFreshness = z.infer<typeof sseFreshnessSchema>;
/** `resync`: the Last-Event-ID is too old to page (or was never handed out): full snapshots follow. */
export const sseResyncSchema = z.object({
  reason: z.enum(['TOO_OLD', 'UNKNOWN_CURSOR']),
  lastEventId: cursor,
  limit: count,
});
export type SseResync = z.infer<typeof sseResyncSchema>;

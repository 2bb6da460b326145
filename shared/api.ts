/**
 * Bodies and queries of the HTTP API (POST /api/auth/login, POST /api/users, events paging,
 * handover). Strict: unknown fields are refused with VALIDATION naming them.
 */
import { z } from 'zod';
import { courtSchema } from './match.js';
import { LIMITS, ROLES } from './protocol.js';

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

/** GET /api/tokens: one entry per token id with live connections (all processes). */
export interface TokenConnections {
  tokenId: string;
  /** The user's name, or `viewer:<label>` for a graphics token. */
  subject: string;
  role: (typeof ROLES)[number];
  kind: 'session' | 'device' | 'viewer';
  /** Sockets on every process, and per namespace. */
  sockets: number;
  byNamespace: Record<string, number>;
  /** SSE streams open on the process that answered. */
  streams: number;
  /** /console sockets: the consoles using this token. */
  consoleIds: string[];
}

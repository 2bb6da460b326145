/**
 * Everything a client sends on Socket.io: the handshake and every request, on /console and
 * /live. Strict: the server refuses unknown fields with VALIDATION naming them.
 * (presence:report's body is in presence.ts, beside what the server makes of it.)
 */
import { z } from 'zod';
import { matchEventSchema } from '../events.js';
import { courtSchema, createMatchSchema, matchIdSchema } from '../match.js';
import { LIMITS } from './common.js';

/**
 * Handshake `auth` of both namespaces, as clients should send it. The server is more
 * lenient (server/sockets/handshake.ts): the token may come in an `Authorization: Bearer`
 * header instead, `protocol` may be a decimal string ("1"), and `consoleId` is required
 * on /console only.
 */
export const handshakeAuthSchema = z.object({
  token: z.string().min(1),
  /** The protocol version the client speaks (shared/protocol/version.ts). */
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

/**
 * time:sync (both namespaces, added in 1.1): an NTP-style exchange. The client notes its
 * send and receive times; the server answers when it received the request and when it sent
 * the answer (timeSyncAckSchema). Arithmetic in shared/time-base.js.
 */
export const timeSyncSchema = z.object({}).strict();

export const scheduleQuerySchema = z.object({ court: courtSchema.optional() }).strict();

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

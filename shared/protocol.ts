/**
 * Scoredesk wire protocol (docs/protocol.md is the full contract). Everything on the wire is
 * a zod schema in shared/protocol/, in both directions; every type here is inferred from one.
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
 * 7. Versioned handshake: a client states its version; outside SUPPORTED_PROTOCOLS it is
 *    refused at connect with PROTOCOL, `reason` CLIENT_TOO_OLD, CLIENT_TOO_NEW or NO_VERSION
 *    and the server's range. Clients show it and do not retry (protocol/version.ts).
 * 8. Checked on receipt: the server validates what clients send (up.ts) and clients what the
 *    server sends (down.ts, shared/api.ts) before trusting it; the server does not check its
 *    own messages at run time (the compiler does, through the event maps below). Unknown
 *    fields are dropped by clients and refused by the server; a new event type or error
 *    code needs a new protocol version.
 */
import type { z } from 'zod';
import {
  CONSOLE_NOTICES,
  LIVE_NOTICES,
  claimAckSchema,
  pullAckSchema,
  pushAckSchema,
  scheduleAckSchema,
  simpleAckSchema,
  subscribeAckSchema,
  subscribeCourtsAckSchema,
  timeSyncAckSchema,
} from './protocol/down.js';
import { presenceSchema } from './protocol/presence.js';
import {
  eventsPushSchema,
  matchClaimSchema,
  matchPullSchema,
  scheduleQuerySchema,
  subscribeCourtsSchema,
  subscribeMatchSchema,
  timeSyncSchema,
  unsubscribeMatchSchema,
} from './protocol/up.js';

export * from './protocol/common.js';
export * from './protocol/down.js';
export * from './protocol/presence.js';
export * from './protocol/receive.js';
export * from './protocol/snapshot.js';
export * from './protocol/up.js';
export * from './protocol/version.js';

/** A request: what the client sends and the ack the server answers it with. */
interface Request {
  request: z.ZodType;
  ack: z.ZodType;
}

/** Requests of /console (ConsoleClientToServer is built from it; clients parse acks with `ack`). */
export const CONSOLE_REQUESTS = {
  /**
   * The official stream's ack (the contract's). A verify push (stream "verify") is answered
   * with verifyPushAckSchema instead: the same shape without a cursor.
   */
  'events:push': { request: eventsPushSchema, ack: pushAckSchema },
  'match:claim': { request: matchClaimSchema, ack: claimAckSchema },
  'match:pull': { request: matchPullSchema, ack: pullAckSchema },
  'schedule:list': { request: scheduleQuerySchema, ack: scheduleAckSchema },
  'presence:report': { request: presenceSchema, ack: simpleAckSchema },
  'time:sync': { request: timeSyncSchema, ack: timeSyncAckSchema },
} as const satisfies Record<string, Request>;

/** Requests of /live (LiveClientToServer is built from it). */
export const LIVE_REQUESTS = {
  SUBSCRIBE_MATCH: { request: subscribeMatchSchema, ack: subscribeAckSchema },
  SUBSCRIBE_COURTS: { request: subscribeCourtsSchema, ack: subscribeCourtsAckSchema },
  UNSUBSCRIBE_MATCH: { request: unsubscribeMatchSchema, ack: simpleAckSchema },
  'time:sync': { request: timeSyncSchema, ack: timeSyncAckSchema },
} as const satisfies Record<string, Request>;

/** Socket.io's event map of requests: the client emits the request's input, the server acks with the ack's type. */
type RequestEvents<R extends Record<string, Request>> = {
  [E in keyof R]: (msg: z.input<R[E]['request']>, ack: (res: z.infer<R[E]['ack']>) => void) => void;
};
/** Socket.io's event map of messages the server emits without being asked. */
type NoticeEvents<N extends Record<string, z.ZodType>> = { [E in keyof N]: (msg: z.infer<N[E]>) => void };

export type ConsoleClientToServer = RequestEvents<typeof CONSOLE_REQUESTS>;
export type ConsoleServerToClient = NoticeEvents<typeof CONSOLE_NOTICES>;
export type LiveClientToServer = RequestEvents<typeof LIVE_REQUESTS>;
export type LiveServerToClient = NoticeEvents<typeof LIVE_NOTICES>;

/** The ack type of a request, e.g. `AckOf<'match:pull'>`. */
export type AckOf<E extends keyof typeof CONSOLE_REQUESTS> = z.infer<(typeof CONSOLE_REQUESTS)[E]['ack']>;

/**
 * Everything the server sends on Socket.io: the acks of every request and the messages it
 * emits on its own, on /console and /live. The server is typed against these (the event
 * maps in shared/protocol.ts), and clients parse what they receive with them before
 * trusting it (the console before its SQLite, overlays before they render).
 *
 * The server never validates what it sends (the broadcast hot path stays as fast as it
 * is); `tsc` checks it instead. Objects strip unknown keys on parse, so a client of an
 * older build keeps what it knows of a newer server's messages; events are the strict
 * stored events of shared/events.ts, so an event a client cannot fold is refused by name.
 */
import { z } from 'zod';
import { storedEventSchema } from '../events.js';
import { errorBodySchema, failSchema } from './common.js';
import { consolePresenceSchema } from './presence.js';
import { freshnessSchema, matchMetaSchema, matchSnapshotSchema } from './snapshot.js';

const cursor = z.number().int().min(0);
const seq = z.number().int().min(0);
const epoch = z.number().int().min(0);
const ok = z.literal(true);

/** An ack that is either its ok shape or a failure (with a failure's own extra fields). */
function ack<O extends z.ZodRawShape, F extends z.ZodRawShape>(okShape: O, failExtra: F) {
  return z.discriminatedUnion('ok', [z.object({ ok, ...okShape }), failSchema.extend(failExtra)]);
}

// ---- acks of both namespaces -------------------------------------------------------------

export const simpleAckSchema = ack({}, {});
export type SimpleAck = z.infer<typeof simpleAckSchema>;

/**
 * time:sync (both namespaces, added in 1.1): when the server received the request and when
 * it sent the answer (epoch ms, server clock). Arithmetic in shared/time-base.js.
 */
export const timeSyncAckSchema = ack({ receivedAt: z.number(), sentAt: z.number() }, {});
export type TimeSyncAck = z.infer<typeof timeSyncAckSchema>;

// ---- /console ------------------------------------------------------------------------------

/** events:push: every event up to `ackedSeq` is committed; a GAP says where to resend from. */
export const pushAckSchema = ack({ ackedSeq: seq, cursor }, { expectedSeq: seq.optional() });
export type PushAck = z.infer<typeof pushAckSchema>;

/** The ack of a verify push: its events are stored apart and have no cursor. */
export const verifyPushAckSchema = ack({ ackedSeq: seq }, { expectedSeq: seq.optional() });
export type VerifyPushAck = z.infer<typeof verifyPushAckSchema>;

/** match:claim: this console writes the match from `epoch` on; STALE_EPOCH names the current one. */
export const claimAckSchema = ack({ epoch }, { epoch: epoch.optional() });
export type ClaimAck = z.infer<typeof claimAckSchema>;

export const pullAckSchema = ack(
  {
    events: z.array(storedEventSchema),
    upToDate: z.boolean(),
    epoch,
    meta: matchMetaSchema,
    /** Hot standby (issue 16): whether the match's writer console is connected now (null: no writer yet). */
    writerOnline: z.boolean().nullable().optional(),
  },
  {},
);
export type PullAck = z.infer<typeof pullAckSchema>;

export const scheduleAckSchema = ack({ matches: z.array(matchSnapshotSchema) }, {});
export type ScheduleAck = z.infer<typeof scheduleAckSchema>;

/** match:fenced (the match moved away: stop writing) and match:assigned (a director handed it here). */
export const matchEpochSchema = z.object({ matchId: z.string().min(1), epoch });
export type MatchEpoch = z.infer<typeof matchEpochSchema>;

/** schedule:changed: the schedule of a court changed. */
export const scheduleChangedSchema = z.object({ court: z.string() });

// ---- /live ---------------------------------------------------------------------------------

export const matchUpdateSchema = z.object({
  matchId: z.string().min(1),
  /** The `cursor` of the previous update for this match sent to this socket: a gap is visible. */
  baseCursor: cursor,
  cursor,
  events: z.array(storedEventSchema),
  snapshot: matchSnapshotSchema,
  freshness: freshnessSchema,
});
export type MatchUpdate = z.infer<typeof matchUpdateSchema>;

/** One window's updates for a socket that follows courts with `frames: true`, in cursor order. */
export const matchUpdatesFrameSchema = z.object({ updates: z.array(matchUpdateSchema) });
export type MatchUpdatesFrame = z.infer<typeof matchUpdatesFrameSchema>;

/**
 * A court's current match changed (court subscriptions); also sent with `freshness` (and the
 * snapshot the socket already has) when the console feeding a followed match connects or drops.
 */
export const courtUpdateSchema = z.object({
  court: z.string().min(1),
  snapshot: matchSnapshotSchema,
  freshness: freshnessSchema.optional(),
});
export type CourtUpdate = z.infer<typeof courtUpdateSchema>;

export const subscribeAckSchema = ack({ snapshot: matchSnapshotSchema, freshness: freshnessSchema }, {});
export type SubscribeAck = z.infer<typeof subscribeAckSchema>;

export const subscribeCourtsAckSchema = ack({ snapshots: z.array(matchSnapshotSchema) }, {});
export type SubscribeCourtsAck = z.infer<typeof subscribeCourtsAckSchema>;

// ---- what the server emits without being asked, per namespace ----------------------------

/** Server-to-client messages of /console, by event name (ConsoleServerToClient is built from it). */
export const CONSOLE_NOTICES = {
  /** The match moved to another console: this one must stop writing. */
  'match:fenced': matchEpochSchema,
  /** A director handed this match to this console (POST /api/matches/:id/handover): pull, then write with `epoch`. */
  'match:assigned': matchEpochSchema,
  /** The session ends (token expired, revoked, limits): the client should re-authenticate. */
  'session:end': errorBodySchema,
  /** The schedule for this console's court changed. */
  'schedule:changed': scheduleChangedSchema,
} as const;

/** Server-to-client messages of /live, by event name (LiveServerToClient is built from it). */
export const LIVE_NOTICES = {
  MATCH_UPDATE: matchUpdateSchema,
  /** Court followers that asked for `frames`: at most one per broadcast window, whatever the number of courts. */
  MATCH_UPDATES: matchUpdatesFrameSchema,
  COURT_UPDATE: courtUpdateSchema,
  /** Console presence changed (court wall; admin sockets only: it names users and consoles). */
  PRESENCE: consolePresenceSchema,
  'session:end': errorBodySchema,
} as const;

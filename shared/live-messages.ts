/**
 * A tolerant view of what `/live` sends (MATCH_UPDATE, MATCH_UPDATES, COURT_UPDATE and the
 * subscribe acks), for partners' clients that check what they receive: the NodeCG bundle
 * (integrations/nodecg/) bundles these. Built from the protocol's own schemas
 * (shared/protocol/down.ts), with two differences a graphics bundle wants:
 *
 * - objects are loose: fields this build does not know pass through to the graphics as
 *   sent (a bundle of an older build must not refuse or drop a newer server's fields);
 * - of the snapshot only the contract's core fields are checked (docs/protocol.md "Match
 *   snapshot"); the sport details (sets, clock, tally, ...) pass as sent.
 *
 * Events are the strict stored events of events.ts, so an event a client does not
 * understand is refused by name.
 */
import { z } from 'zod';
import {
  courtUpdateSchema as fullCourtUpdate,
  failSchema,
  freshnessSchema as fullFreshness,
  matchSnapshotSchema,
  matchUpdateSchema as fullMatchUpdate,
} from './protocol.js';

export const freshnessSchema = fullFreshness.loose();

const sideScore = matchSnapshotSchema.shape.home.loose();

/** The contract's snapshot fields; `scheduledAt` may be absent (snapshots of older servers). */
export const liveSnapshotSchema = matchSnapshotSchema
  .pick({ id: true, sport: true, court: true, status: true, cursor: true, updatedAt: true, seq: true, epoch: true })
  .extend({ home: sideScore, away: sideScore, scheduledAt: matchSnapshotSchema.shape.scheduledAt.optional() })
  .loose();
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;

export const matchUpdateSchema = fullMatchUpdate
  .extend({ snapshot: liveSnapshotSchema, freshness: freshnessSchema })
  .loose();
export type LiveMatchUpdate = z.infer<typeof matchUpdateSchema>;

export const matchUpdatesFrameSchema = z.looseObject({ updates: z.array(matchUpdateSchema) });

export const courtUpdateSchema = fullCourtUpdate
  .extend({ snapshot: liveSnapshotSchema, freshness: freshnessSchema.optional() })
  .loose();

const looseFail = failSchema.loose();

export const subscribeMatchAckSchema = z.discriminatedUnion('ok', [
  z.looseObject({ ok: z.literal(true), snapshot: liveSnapshotSchema, freshness: freshnessSchema }),
  looseFail,
]);

export const subscribeCourtsAckSchema = z.discriminatedUnion('ok', [
  z.looseObject({ ok: z.literal(true), snapshots: z.array(liveSnapshotSchema) }),
  looseFail,
]);

/**
 * Schemas of what `/live` sends (MATCH_UPDATE, MATCH_UPDATES, COURT_UPDATE and the
 * subscribe acks), for clients that check what they receive: the NodeCG bundle
 * (integrations/nodecg/) bundles these. The server builds the messages from the types
 * in protocol.ts; the assertions at the end keep the two from drifting apart.
 *
 * Objects are loose where the contract lets the server add fields (a client of an older
 * build must not refuse a newer server's extra fields); events are the strict stored
 * events of events.ts, so an event a client does not understand is refused by name.
 */
import { z } from 'zod';
import { sportSchema, storedEventSchema } from './events.js';
import { MATCH_STATUSES, type MatchSnapshot } from './match.js';
import { ERROR_CODES, type Freshness, type MatchUpdate } from './protocol.js';

const cursor = z.number().int().min(0);
const isoTime = z.iso.datetime({ offset: true });

export const freshnessSchema = z.looseObject({
  lastEventAt: isoTime.nullable(),
  lastStoredAt: isoTime.nullable(),
  consoleOnline: z.boolean(),
  /** Contract 1.1: null while the match has no verify stream; absent from older servers. */
  verified: z.boolean().nullable().optional(),
});

const sideScore = z.looseObject({ name: z.string(), score: z.number() });

/**
 * The contract's snapshot fields (docs/protocol.md "Match snapshot"); the sport details
 * (sets, clock, tally, ...) pass as sent: they are the fold's output (shared/match.ts).
 */
export const liveSnapshotSchema = z.looseObject({
  id: z.string().min(1),
  sport: sportSchema,
  court: z.string().min(1),
  status: z.enum(MATCH_STATUSES),
  home: sideScore,
  away: sideScore,
  cursor,
  updatedAt: isoTime.nullable(),
  seq: z.number().int().min(0),
  epoch: z.number().int().min(0),
  scheduledAt: isoTime.nullable().optional(),
});
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;

export const matchUpdateSchema = z.looseObject({
  matchId: z.string().min(1),
  baseCursor: cursor,
  cursor,
  events: z.array(storedEventSchema),
  snapshot: liveSnapshotSchema,
  freshness: freshnessSchema,
});
export type LiveMatchUpdate = z.infer<typeof matchUpdateSchema>;

export const matchUpdatesFrameSchema = z.looseObject({ updates: z.array(matchUpdateSchema) });

export const courtUpdateSchema = z.looseObject({
  court: z.string().min(1),
  snapshot: liveSnapshotSchema,
  freshness: freshnessSchema.optional(),
});

const failSchema = z.looseObject({ ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() });

export const subscribeMatchAckSchema = z.discriminatedUnion('ok', [
  z.looseObject({ ok: z.literal(true), snapshot: liveSnapshotSchema, freshness: freshnessSchema }),
  failSchema,
]);

export const subscribeCourtsAckSchema = z.discriminatedUnion('ok', [
  z.looseObject({ ok: z.literal(true), snapshots: z.array(liveSnapshotSchema) }),
  failSchema,
]);

// ---- drift checks: every field the server's types name is validated here -------------

type Assert<T extends true> = T;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
export type FreshnessChecked = Assert<SameKeys<Freshness, z.infer<z.ZodObject<typeof freshnessSchema.shape>>>>;
export type UpdateChecked = Assert<SameKeys<MatchUpdate, z.infer<z.ZodObject<typeof matchUpdateSchema.shape>>>>;
export type SnapshotChecked = Assert<
  Exclude<keyof typeof liveSnapshotSchema.shape, keyof MatchSnapshot> extends never ? true : false
>;

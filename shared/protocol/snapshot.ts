/**
 * A match as the server sends it: the meta (match:pull) and the snapshot (every feed, ack
 * and update), with the freshness that travels beside it. The shapes themselves are the
 * fold's (shared/match.ts); these schemas check them on receipt, and the drift checks at
 * the end make `tsc` fail when the two part.
 *
 * Not strict: a client of an older build drops the fields a newer server added (zod strips
 * unknown keys) instead of refusing the whole message.
 */
import { z } from 'zod';
import { sideSchema, sportSchema } from '../events.js';
import { MATCH_STATUSES, matchIdSchema, matchOptionsSchema, type MatchMeta, type MatchSnapshot } from '../match.js';
import type { Assert, Same } from './common.js';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);
const cursor = z.number().int().min(0);
const sideCounts = z.object({ home: z.number(), away: z.number() });
const sideFlags = z.object({ home: z.boolean(), away: z.boolean() });

/** The options as received: the same fields as a creation's, without refusing a newer server's. */
const receivedOptions = z.object(matchOptionsSchema.shape);

const teamMeta = z.object({ name: z.string(), players: z.array(z.string()).optional() });

export const matchMetaSchema = z.object({
  id: matchIdSchema,
  sport: sportSchema,
  court: z.string().min(1),
  home: teamMeta,
  away: teamMeta,
  scheduledAt: isoTime.nullable(),
  slotMinutes: z.number().int().nullable(),
  options: receivedOptions,
});

const teamScore = z.object({ name: z.string(), score: z.number(), players: z.array(z.string()).optional() });
const setScore = z.object({ home: count, away: count, tiebreak: sideCounts.optional() });
const sideTally = z.object({
  timeouts: count,
  fouls: count,
  cards: z.object({ yellow: count, red: count, black: count }),
  playerFouls: z.record(z.string(), count).optional(),
  disqualified: z.array(z.string()).optional(),
});
const clockState = z.object({ running: z.boolean(), remainingMs: z.number(), anchorAt: isoTime.nullable() });
export const INTERVAL_REASONS = ['mid-game', 'between-games', 'between-sets'] as const;

export const verificationSchema = z.object({ state: z.enum(['agree', 'disagree']), since: isoTime });
export const verificationAlertSchema = z.object({ since: isoTime });

export const matchSnapshotSchema = z.object({
  id: matchIdSchema,
  sport: sportSchema,
  court: z.string().min(1),
  status: z.enum(MATCH_STATUSES),
  home: teamScore,
  away: teamScore,
  cursor,
  updatedAt: isoTime.nullable(),
  seq: count,
  epoch: count,
  scheduledAt: isoTime.nullable(),
  slotMinutes: z.number().int().nullable(),
  options: receivedOptions,
  sets: z.array(setScore),
  setsWon: sideCounts,
  games: sideCounts.optional(),
  points: z.object({ home: z.string(), away: z.string() }).optional(),
  tiebreak: z.boolean().optional(),
  period: z.number().int(),
  serving: sideSchema.nullable(),
  setPoint: sideSchema.nullable(),
  matchPoint: sideSchema.nullable(),
  winner: sideSchema.nullable(),
  clock: clockState,
  tally: z.object({ home: sideTally, away: sideTally }),
  periodFouls: sideCounts.optional(),
  bonus: sideFlags.optional(),
  // Contract 1.1: optional for snapshots stored before them.
  changeEnds: z.boolean().optional(),
  interval: z
    .object({ reason: z.enum(INTERVAL_REASONS), seconds: z.number() })
    .nullable()
    .optional(),
  serviceCourt: z.enum(['right', 'left']).nullable().optional(),
  servingPlayer: z.string().nullable().optional(),
  receivingPlayer: z.string().nullable().optional(),
  timeoutsLeft: sideCounts.nullable().optional(),
  penalty: sideFlags.optional(),
  overrides: z.array(z.object({ seq: z.number().int().min(1), at: isoTime, reason: z.string() })).optional(),
  verification: verificationSchema.nullable().optional(),
  verificationAlert: verificationAlertSchema.nullable().optional(),
  ignoredSeqs: z.array(z.number().int()),
  cancelledSeqs: z.array(z.number().int()),
});

/** Freshness carried by every update, so graphics can hide stale data. */
export const freshnessSchema = z.object({
  /** `at` of the match's last event, or null. */
  lastEventAt: isoTime.nullable(),
  /** Server time the match's last event was stored. */
  lastStoredAt: isoTime.nullable(),
  /** Whether the console feeding the match is connected right now. */
  consoleOnline: z.boolean(),
  /**
   * Contract 1.1: whether a verifying scorer's stream agrees with the official one (false
   * after 5 s of disagreement, shared/verification.ts); null while the match has no verify
   * stream. Every freshness this server sends has it; optional for clients of older servers.
   */
  verified: z.boolean().nullable().optional(),
});
export type Freshness = z.infer<typeof freshnessSchema>;

// ---- drift checks: the fold's types and these schemas describe the same shapes ------------

export type SnapshotChecked = Assert<Same<z.infer<typeof matchSnapshotSchema>, MatchSnapshot>>;
export type MetaChecked = Assert<Same<z.infer<typeof matchMetaSchema>, MatchMeta>>;

/**
 * Match events: the one vocabulary every part of Scoredesk speaks.
 *
 * An event is what a console records; a StoredEvent is the same event after the
 * server committed it and gave it a global cursor. Payloads are strict: unknown
 * fields are refused, so a typo never silently becomes "no data".
 */
import { z } from 'zod';
import { storableString, storableTime } from './storable.js';

export const SIDES = ['home', 'away'] as const;
export const sideSchema = z.enum(SIDES);
export type Side = z.infer<typeof sideSchema>;

export const SPORTS = ['generic', 'volleyball', 'badminton', 'table-tennis', 'tennis', 'basketball'] as const;
export const sportSchema = z.enum(SPORTS);
export type Sport = z.infer<typeof sportSchema>;

/** Longest free text we keep in a note or a name; a scoreboard never needs more. */
export const MAX_TEXT_LENGTH = 200;
const text = storableString().max(MAX_TEXT_LENGTH);

const emptyPayload = z.object({}).strict();

/** Doubles: the four players in the order they serve in the set (tennis, ITF 14). */
const serverOrder = z.array(text.min(1)).length(4);

/** The choices of server and receiver a toss or a pair makes (contract v1.1). */
const serveChoices = {
  /** Who serves first, where the sport has a server (default: home). */
  firstServer: sideSchema.optional(),
  /** Doubles: the serving pair's first server, a name from its `players` (default: the first listed). */
  firstServerPlayer: text.min(1).optional(),
  /** Doubles: the receiving pair's first receiver (default: the first listed). */
  firstReceiverPlayer: text.min(1).optional(),
  serverOrder: serverOrder.optional(),
};

export const matchStartPayload = z.object(serveChoices).strict();
export const matchPausePayload = z.object({ reason: text.optional() }).strict();
export const matchEndPayload = z
  .object({
    /** Set when a match ends early (retirement, forfeit); otherwise the rules decide the winner. */
    winner: sideSchema.optional(),
    reason: text.optional(),
  })
  .strict();
export const scoreUpdatePayload = z
  .object({
    side: sideSchema,
    points: z.number().int().min(1).max(3).optional(),
  })
  .strict();

export const EVENT_KINDS = ['timeout', 'card', 'foul', 'substitution', 'note'] as const;
export const CARDS = ['yellow', 'red', 'black'] as const;
export const eventAddedPayload = z
  .object({
    kind: z.enum(EVENT_KINDS),
    side: sideSchema.optional(),
    player: text.optional(),
    /** Player coming on, for a substitution. */
    playerIn: text.optional(),
    card: z.enum(CARDS).optional(),
    text: text.optional(),
  })
  .strict();
export const correctionPayload = z.object({ undoes: z.number().int().min(1) }).strict();

/** Clock events carry the remaining time; displays run the clock locally from the event's time. */
export const clockPayload = z
  .object({
    remainingMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 60 * 60 * 1000),
  })
  .strict();
/**
 * CLOCK_START may carry `anchorAt` (added in 1.1): the server time at which the clock
 * started, as the console measured it (its own time minus its time:sync offset). Displays
 * then run the clock in server time, whatever the console's wall clock says. Without it
 * (a v1 console, or one that never reached the server) the event's `at` anchors the clock.
 */
export const clockStartPayload = clockPayload.extend({ anchorAt: storableTime().optional() }).strict();
export const periodStartPayload = z
  .object({ period: z.number().int().min(1).max(99).optional(), ...serveChoices })
  .strict();

/** Most points a side can be set to in an override (basketball totals stay far below). */
export const MAX_OVERRIDE_POINTS = 999;
const overrideCount = z.number().int().min(0).max(MAX_OVERRIDE_POINTS);
const overrideSide = z.object({ points: overrideCount, games: overrideCount.optional() }).strict();
/**
 * SCORE_OVERRIDE: the scorer sets the state directly (after a failure, a match started on
 * paper). `reason` is required so the log says why; a CORRECTION of it replays without it.
 */
export const scoreOverridePayload = z
  .object({
    reason: text.trim().min(1, 'a score override needs a reason'),
    sets: z
      .array(
        z
          .object({
            home: overrideCount,
            away: overrideCount,
            tiebreak: z.object({ home: overrideCount, away: overrideCount }).strict().optional(),
          })
          .strict(),
      )
      .max(99)
      .optional(),
    home: overrideSide,
    away: overrideSide,
    serving: sideSchema.optional(),
  })
  .strict();

export const eventPayloadSchemas = {
  MATCH_START: matchStartPayload,
  MATCH_PAUSE: matchPausePayload,
  MATCH_RESUME: emptyPayload,
  MATCH_END: matchEndPayload,
  SCORE_UPDATE: scoreUpdatePayload,
  EVENT_ADDED: eventAddedPayload,
  CORRECTION: correctionPayload,
  /** Start the clock from remainingMs (anchored at anchorAt, else at `at`). */
  CLOCK_START: clockStartPayload,
  /** Stop the clock showing remainingMs. */
  CLOCK_STOP: clockPayload,
  /** Set the clock while stopped (period length, a correction by the table official). */
  CLOCK_SET: clockPayload,
  /** Begin the next period (quarter, half, overtime) where the sport has periods. */
  PERIOD_START: periodStartPayload,
  PERIOD_END: emptyPayload,
  /** Set the score directly, with a reason (contract v1.1). */
  SCORE_OVERRIDE: scoreOverridePayload,
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export const EVENT_TYPES = Object.keys(eventPayloadSchemas) as EventType[];
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

const isoTime = storableTime();

function eventVariant<T extends EventType>(type: T) {
  return z
    .object({
      seq: z.number().int().min(1),
      type: z.literal(type),
      payload: eventPayloadSchemas[type],
      at: isoTime,
    })
    .strict();
}

const unknownType = {
  error: (issue: { code: string }) =>
    issue.code === 'invalid_union' ? `unknown event type (one of ${EVENT_TYPES.join(', ')})` : undefined,
};

/** What a console sends: one event of one match. */
export const matchEventSchema = z.discriminatedUnion(
  'type',
  [
    eventVariant('MATCH_START'),
    eventVariant('MATCH_PAUSE'),
    eventVariant('MATCH_RESUME'),
    eventVariant('MATCH_END'),
    eventVariant('SCORE_UPDATE'),
    eventVariant('EVENT_ADDED'),
    eventVariant('CORRECTION'),
    eventVariant('CLOCK_START'),
    eventVariant('CLOCK_STOP'),
    eventVariant('CLOCK_SET'),
    eventVariant('PERIOD_START'),
    eventVariant('PERIOD_END'),
    eventVariant('SCORE_OVERRIDE'),
  ],
  unknownType,
);
export type MatchEvent = z.infer<typeof matchEventSchema>;

const storedFields = {
  cursor: z.number().int().min(1),
  matchId: z.string(),
  consoleId: z.string(),
  epoch: z.number().int().min(0),
};

// One strict object per type (not an intersection: zod lets an intersection of strict
// objects accept keys that neither side knows).
function storedVariant<T extends EventType>(type: T) {
  return eventVariant(type).extend(storedFields).strict();
}

/** An event as PostgreSQL stores it and every reader receives it. */
export const storedEventSchema = z.discriminatedUnion(
  'type',
  [
    storedVariant('MATCH_START'),
    storedVariant('MATCH_PAUSE'),
    storedVariant('MATCH_RESUME'),
    storedVariant('MATCH_END'),
    storedVariant('SCORE_UPDATE'),
    storedVariant('EVENT_ADDED'),
    storedVariant('CORRECTION'),
    storedVariant('CLOCK_START'),
    storedVariant('CLOCK_STOP'),
    storedVariant('CLOCK_SET'),
    storedVariant('PERIOD_START'),
    storedVariant('PERIOD_END'),
    storedVariant('SCORE_OVERRIDE'),
  ],
  unknownType,
);
export type StoredEvent = MatchEvent & { cursor: number; matchId: string; consoleId: string; epoch: number };

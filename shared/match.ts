/**
 * A match as it is scheduled (MatchMeta) and as every display shows it (MatchSnapshot).
 * The snapshot is a pure function of the meta and the events (see shared/domain/fold.ts).
 */
import { z } from 'zod';
import { sportSchema, MAX_TEXT_LENGTH, type Side, type Sport } from './events.js';
import { storableString, storableTime } from './storable.js';

export const MATCH_STATUSES = ['scheduled', 'live', 'paused', 'finished'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

const name = storableString().trim().min(1).max(MAX_TEXT_LENGTH);
export const courtSchema = storableString().trim().min(1).max(64);
export const matchIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

/** Format options a sport may read; every sport has sensible defaults. */
export const matchOptionsSchema = z
  .object({
    /** Sets (or games for table tennis) needed: best of N. */
    bestOf: z.number().int().min(1).max(7).optional(),
    /** volleyball: 'indoor' (default) or 'beach'. */
    variant: z.enum(['indoor', 'beach']).optional(),
    /** basketball: quarter length; generic: period length. */
    periodLengthMs: z
      .number()
      .int()
      .min(1000)
      .max(3 * 60 * 60 * 1000)
      .optional(),
  })
  .strict();
export type MatchOptions = z.infer<typeof matchOptionsSchema>;

/** The body of POST /api/matches (and a console's offline match creation). */
export const createMatchSchema = z
  .object({
    id: matchIdSchema.optional(),
    sport: sportSchema,
    court: courtSchema,
    home: z.object({ name }).strict(),
    away: z.object({ name }).strict(),
    scheduledAt: storableTime().optional(),
    /** Planned length of the slot; the court wall alerts when a match runs past it. */
    slotMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
    options: matchOptionsSchema.optional(),
  })
  .strict();
export type CreateMatch = z.infer<typeof createMatchSchema>;

export interface MatchMeta {
  id: string;
  sport: Sport;
  court: string;
  home: { name: string };
  away: { name: string };
  scheduledAt: string | null;
  slotMinutes: number | null;
  options: MatchOptions;
}

/** The clock as data: a display shows remainingMs - (now - anchorAt) while running. */
export interface ClockState {
  running: boolean;
  remainingMs: number;
  /** The `at` of the event that last started or set the clock (ISO time). */
  anchorAt: string | null;
}

export interface SetScore {
  home: number;
  away: number;
  /** Tie-break points when the set was decided by one (tennis). */
  tiebreak?: { home: number; away: number };
}

export interface SideTally {
  timeouts: number;
  fouls: number;
  cards: { yellow: number; red: number; black: number };
}

/** The contract's snapshot: `score` is what a scoreboard shows biggest. */
export interface MatchSnapshot {
  id: string;
  sport: Sport;
  court: string;
  status: MatchStatus;
  home: { name: string; score: number };
  away: { name: string; score: number };
  /** Cursor of the last stored event folded in (0: none, or not yet stored). */
  cursor: number;
  /** `at` of the last event folded in, or null. */
  updatedAt: string | null;
  /** Last seq folded in (0: none). */
  seq: number;
  epoch: number;
  scheduledAt: string | null;
  slotMinutes: number | null;
  options: MatchOptions;
  /** Sets (volleyball, badminton, table tennis, tennis) or periods won so far, finished ones only. */
  sets: SetScore[];
  /** Sets (or games) won: the big number of a set-based sport's match. */
  setsWon: { home: number; away: number };
  /** Tennis only: games in the current set and the point call ("0", "15", "30", "40", "AD"). */
  games?: { home: number; away: number };
  points?: { home: string; away: string };
  tiebreak?: boolean;
  /** Current period (basketball quarter, 5+ = overtime; generic period). */
  period: number;
  serving: Side | null;
  setPoint: Side | null;
  matchPoint: Side | null;
  winner: Side | null;
  clock: ClockState;
  tally: { home: SideTally; away: SideTally };
  /** Team fouls in the current period (basketball bonus); overtime continues the fourth quarter's count (FIBA). */
  periodFouls?: { home: number; away: number };
  /** Basketball: `home: true` means every further away foul gives home free throws (away reached the team-foul limit). */
  bonus?: { home: boolean; away: boolean };
  /** Seqs refused by the rules during the fold (kept in the log, no effect). */
  ignoredSeqs: number[];
  /** Seqs cancelled by corrections. */
  cancelledSeqs: number[];
}

/** The meta of a match from its creation request (HTTP, or a console creating it offline). */
export function metaFromCreate(input: CreateMatch & { id: string }): MatchMeta {
  return {
    id: input.id,
    sport: input.sport,
    court: input.court,
    home: { name: input.home.name },
    away: { name: input.away.name },
    scheduledAt: input.scheduledAt ?? null,
    slotMinutes: input.slotMinutes ?? null,
    options: input.options ?? {},
  };
}

/** A snapshot carries everything the meta holds (a console's schedule cache keeps only snapshots). */
export function metaFromSnapshot(snapshot: MatchSnapshot): MatchMeta {
  return {
    id: snapshot.id,
    sport: snapshot.sport,
    court: snapshot.court,
    home: { name: snapshot.home.name },
    away: { name: snapshot.away.name },
    scheduledAt: snapshot.scheduledAt,
    slotMinutes: snapshot.slotMinutes,
    options: snapshot.options,
  };
}

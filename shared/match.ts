/**
 * A match as it is scheduled (MatchMeta) and as every display shows it (MatchSnapshot).
 * The snapshot is a pure function of the meta and the events (see shared/domain/fold.ts).
 */
import { z } from 'zod';
import { sportSchema, MAX_TEXT_LENGTH, type Side, type Sport } from './events.js';
import { storableString, storableTime } from './storable.js';
import type { Verification, VerificationAlert } from './verification.js';

export const MATCH_STATUSES = ['scheduled', 'live', 'paused', 'finished'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

const name = storableString().trim().min(1).max(MAX_TEXT_LENGTH);
export const courtSchema = storableString().trim().min(1).max(64);
export const matchIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

/** Tennis: how the deciding set is played (contract v1.1). */
export const FINAL_SET_FORMATS = ['advantage', 'tiebreak7', 'tiebreak10', 'matchTiebreak10'] as const;
export type FinalSetFormat = (typeof FINAL_SET_FORMATS)[number];
/** Badminton: BWF Laws 3x21, or the 5x11 experimental scoring (contract v1.1). */
export const BADMINTON_SCORINGS = ['3x21', '5x11'] as const;
export type BadmintonScoring = (typeof BADMINTON_SCORINGS)[number];

/** Longest basketball quarter or overtime a scorer can set (a 3x3 or youth game is shorter). */
const MAX_PERIOD_MINUTES = 60;
/** Fouls that disqualify a player: FIBA 5, NBA 6; more has no league. */
const MAX_FOUL_LIMIT = 10;

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
    /** tennis: at deuce the next point wins the game. */
    noAd: z.boolean().optional(),
    /** tennis: the deciding set's format (default tiebreak7). */
    finalSet: z.enum(FINAL_SET_FORMATS).optional(),
    /** badminton: 3x21 (default) or 5x11. */
    scoring: z.enum(BADMINTON_SCORINGS).optional(),
    /** basketball (FIBA defaults 10, 5, 5). */
    periodMinutes: z.number().int().min(1).max(MAX_PERIOD_MINUTES).optional(),
    overtimeMinutes: z.number().int().min(1).max(MAX_PERIOD_MINUTES).optional(),
    foulLimit: z.number().int().min(1).max(MAX_FOUL_LIMIT).optional(),
    /** badminton, table tennis, tennis: two players a side, named in home.players / away.players. */
    doubles: z.boolean().optional(),
  })
  .strict();
export type MatchOptions = z.infer<typeof matchOptionsSchema>;

/** A side as created: its name and, for doubles, its two players. */
const teamSchema = z.object({ name, players: z.array(name).min(1).max(2).optional() }).strict();

/** Which sports read each option; any other sport refuses it (an unknown option, not a silent no-op). */
const OPTION_SPORTS: Record<keyof MatchOptions, readonly Sport[]> = {
  bestOf: ['volleyball', 'badminton', 'table-tennis', 'tennis'],
  variant: ['volleyball'],
  periodLengthMs: ['basketball', 'generic'],
  noAd: ['tennis'],
  finalSet: ['tennis'],
  scoring: ['badminton'],
  periodMinutes: ['basketball'],
  overtimeMinutes: ['basketball'],
  foulLimit: ['basketball'],
  doubles: ['badminton', 'table-tennis', 'tennis'],
};
/** bestOf values the contract lists, where it lists them. */
const BEST_OF: Partial<Record<Sport, readonly number[]>> = { tennis: [3, 5], 'table-tennis': [3, 5, 7] };

interface OptionProblem {
  path: (string | number)[];
  message: string;
}

/** What is wrong with a creation's options for its sport (contract v1.1), or nothing. */
export function optionProblems(body: {
  sport: Sport;
  home: { players?: string[] };
  away: { players?: string[] };
  options?: MatchOptions;
}): OptionProblem[] {
  const out: OptionProblem[] = [];
  const o = body.options ?? {};
  for (const key of Object.keys(o) as (keyof MatchOptions)[]) {
    if (o[key] !== undefined && !OPTION_SPORTS[key].includes(body.sport))
      out.push({ path: ['options', key], message: `${body.sport} has no option ${key}` });
  }
  const allowed = BEST_OF[body.sport];
  if (o.bestOf !== undefined && allowed && !allowed.includes(o.bestOf))
    out.push({ path: ['options', 'bestOf'], message: `${body.sport} plays best of ${allowed.join(', ')}` });
  if (o.bestOf !== undefined && o.bestOf % 2 === 0)
    out.push({ path: ['options', 'bestOf'], message: 'best of an even number has no majority' });
  for (const side of ['home', 'away'] as const) {
    const players = body[side].players;
    if (o.doubles === true && (players?.length !== 2 || players[0] === players[1]))
      out.push({ path: [side, 'players'], message: 'doubles: two different player names a side' });
    if (o.doubles !== true && players !== undefined && players.length !== 1)
      out.push({ path: [side, 'players'], message: 'two players a side only with options.doubles' });
  }
  return out;
}

/** The body of POST /api/matches (and a console's offline match creation). */
export const createMatchSchema = z
  .object({
    id: matchIdSchema.optional(),
    sport: sportSchema,
    court: courtSchema,
    home: teamSchema,
    away: teamSchema,
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
  .strict()
  .superRefine((body, ctx) => {
    for (const problem of optionProblems(body)) ctx.addIssue({ code: 'custom', ...problem });
  });
export type CreateMatch = z.infer<typeof createMatchSchema>;

/** A side of a match: its name, and its players where they were named (doubles). */
export interface TeamMeta {
  name: string;
  players?: string[];
}

export interface MatchMeta {
  id: string;
  sport: Sport;
  court: string;
  home: TeamMeta;
  away: TeamMeta;
  scheduledAt: string | null;
  slotMinutes: number | null;
  options: MatchOptions;
}

/** The clock as data: a display shows remainingMs - (now - anchorAt) while running. */
export interface ClockState {
  running: boolean;
  remainingMs: number;
  /**
   * When the clock last started or was set (ISO time): a CLOCK_START's `anchorAt` (server
   * time) when it has one, else the event's `at`.
   */
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
  /** Basketball: personal fouls per player named in EVENT_ADDED {kind: "foul", player}. */
  playerFouls?: Record<string, number>;
  /** Basketball: players who reached options.foulLimit (a further foul for them is refused). */
  disqualified?: string[];
}

/** Why play stops for an interval, and how long (contract v1.1). */
export type IntervalReason = 'mid-game' | 'between-games' | 'between-sets';
export interface Interval {
  reason: IntervalReason;
  seconds: number;
}

/** The contract's snapshot: `score` is what a scoreboard shows biggest. */
export interface MatchSnapshot {
  id: string;
  sport: Sport;
  court: string;
  status: MatchStatus;
  home: { name: string; score: number; players?: string[] };
  away: { name: string; score: number; players?: string[] };
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
  /**
   * Contract v1.1 fields below are always present in a fold's snapshot; optional for
   * snapshots stored before them.
   * True right after the point or game that makes the players change ends, until the next event.
   */
  changeEnds?: boolean;
  /** An interval due now (badminton, table tennis, volleyball), until the next event. */
  interval?: Interval | null;
  /** Badminton: the court the server serves from (right on an even score). */
  serviceCourt?: 'right' | 'left' | null;
  /** Doubles: who serves and who receives, by the sport's service order. */
  servingPlayer?: string | null;
  receivingPlayer?: string | null;
  /** Volleyball and basketball: the time-outs each team may still take now. */
  timeoutsLeft?: { home: number; away: number } | null;
  /** Basketball: true once that team has 4 team fouls in the period (each further foul: free throws, FIBA 41). */
  penalty?: { home: boolean; away: boolean };
  /** Score overrides in effect, with why (who: the stored event's console and user). */
  overrides?: { seq: number; at: string; reason: string }[];
  /**
   * A second scorer's cross-check (contract 1.1, the verify stream): null or absent while the
   * match has none. Never part of a fold: the server merges it into the snapshots it sends.
   */
  verification?: Verification | null;
  /** Court wall alert (added): the verify stream has disagreed for VERIFY_ALERT_MS or more, since `since`. */
  verificationAlert?: VerificationAlert | null;
  /** Seqs refused by the rules during the fold (kept in the log, no effect). */
  ignoredSeqs: number[];
  /** Seqs cancelled by corrections. */
  cancelledSeqs: number[];
}

/** Name and players, without a players key when none were named (v1 snapshots stay as they were). */
export function teamMeta(team: { name: string; players?: string[] }): TeamMeta {
  return team.players ? { name: team.name, players: team.players.slice() } : { name: team.name };
}

/** The meta of a match from its creation request (HTTP, or a console creating it offline). */
export function metaFromCreate(input: CreateMatch & { id: string }): MatchMeta {
  return {
    id: input.id,
    sport: input.sport,
    court: input.court,
    home: teamMeta(input.home),
    away: teamMeta(input.away),
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
    home: teamMeta(snapshot.home),
    away: teamMeta(snapshot.away),
    scheduledAt: snapshot.scheduledAt,
    slotMinutes: snapshot.slotMinutes,
    options: snapshot.options,
  };
}

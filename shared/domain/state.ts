/**
 * The mutable working state of one match while events are folded in, and its
 * conversion to the public MatchSnapshot. Only fold.ts and reducer.ts own a
 * MatchState; everything they hand out is a fresh snapshot with a fixed key order,
 * so JSON.stringify of two folds of the same events is byte-identical.
 */
import { tennisPointCalls } from '../display/point-names.js';
import type { Side, Sport } from '../events.js';
import type {
  ClockState,
  Interval,
  MatchMeta,
  MatchOptions,
  MatchSnapshot,
  MatchStatus,
  SetScore,
  SideTally,
} from '../match.js';

export interface Pair {
  home: number;
  away: number;
}

/** Tennis points of the current game (or tie-break) and the games of the current set. */
export interface TennisState {
  points: Pair;
  games: Pair;
  tiebreak: boolean;
  /** Games played in the whole match, tie-breaks included: the serve rotates by it. */
  gamesPlayed: number;
  /** The tie-break's length: 7, 10 (final set or match tie-break). */
  tiebreakTo: number;
}

/** Names of the two players of each side (doubles), as listed at creation. */
export interface Players {
  home: string[];
  away: string[];
}

/**
 * Who stands where in doubles, per sport. tennis: the four servers in rotation from game
 * `base`, and each pair's deuce-court receiver; badminton: each side's player in the right
 * service court; table tennis: the serve cycle (each server serves to the next) of game
 * `game` (0-based), the cycle the game before ended with, and when the receivers changed.
 */
export type DoublesState =
  | { sport: 'tennis'; order: string[]; base: number; deuceReceiver: { home: string; away: string } }
  | { sport: 'badminton'; right: { home: string; away: string } }
  | {
      sport: 'table-tennis';
      cycle: string[];
      previous: string[] | null;
      game: number;
      /** The service turn at which the deciding game's receivers changed order (ITTF 2.14.2), or null. */
      swappedAt: number | null;
    };

export interface MatchState {
  sport: Sport;
  options: MatchOptions;
  status: MatchStatus;
  /** What the scoreboard shows biggest (points of the set/game; tennis: games of the set; totals elsewhere). */
  score: Pair;
  sets: SetScore[];
  setsWon: Pair;
  /** Set number for set sports, quarter/period for period sports (0 before the start). */
  period: number;
  /** Period sports: whether a period is being played (false between PERIOD_END and PERIOD_START). */
  periodOpen: boolean;
  /** Period sports: the totals when the current period began, to record the period's own score. */
  periodStartScore: Pair;
  firstServer: Side;
  /** Who served first in the current set or game (table tennis, volleyball). */
  setFirstServer: Side;
  serving: Side | null;
  setPoint: Side | null;
  matchPoint: Side | null;
  winner: Side | null;
  clock: ClockState;
  tally: { home: SideTally; away: SideTally };
  periodFouls: Pair | null;
  tennis: TennisState | null;
  /** Set on the event that makes the players change ends, cleared by the next one. */
  changeEnds: boolean;
  interval: Interval | null;
  serviceCourt: 'right' | 'left' | null;
  servingPlayer: string | null;
  receivingPlayer: string | null;
  /** Doubles only. */
  players: Players | null;
  doubles: DoublesState | null;
  /** Time-outs taken in the current allowance (volleyball: the set; basketball: the half or overtime). */
  timeoutsTaken: Pair;
  /** Basketball: time-outs taken in the last two minutes of the fourth quarter. */
  lateTimeouts: Pair;
  timeoutsLeft: Pair | null;
  overrides: { seq: number; at: string; reason: string }[];
  seq: number;
  cursor: number;
  epoch: number;
  updatedAt: string | null;
  ignored: number[];
  cancelled: number[];
}

export const SIDE_LIST: readonly Side[] = ['home', 'away'];

export function otherSide(side: Side): Side {
  return side === 'home' ? 'away' : 'home';
}

export function pair(home = 0, away = 0): Pair {
  return { home, away };
}

function emptyTally(sport: Sport): SideTally {
  const t: SideTally = { timeouts: 0, fouls: 0, cards: { yellow: 0, red: 0, black: 0 } };
  if (sport === 'basketball') {
    t.playerFouls = {};
    t.disqualified = [];
  }
  return t;
}

/** The sports where options.doubles puts two players on a side. */
const DOUBLES_SPORTS: ReadonlySet<Sport> = new Set(['badminton', 'table-tennis', 'tennis']);

/** Each side's two players; a meta without names (an old or hand-made one) gets numbered ones. */
function doublesPlayers(meta: MatchMeta): Players | null {
  if (meta.options.doubles !== true || !DOUBLES_SPORTS.has(meta.sport)) return null;
  const two = (team: { name: string; players?: string[] }) =>
    team.players?.length === 2 ? team.players.slice() : [`${team.name} 1`, `${team.name} 2`];
  return { home: two(meta.home), away: two(meta.away) };
}

/** Options in a fixed key order, without undefined values, so snapshots serialise identically. */
export function normalizeOptions(options: MatchOptions | undefined): MatchOptions {
  const out: MatchOptions = {};
  if (options?.bestOf !== undefined) out.bestOf = options.bestOf;
  if (options?.variant !== undefined) out.variant = options.variant;
  if (options?.periodLengthMs !== undefined) out.periodLengthMs = options.periodLengthMs;
  if (options?.noAd !== undefined) out.noAd = options.noAd;
  if (options?.finalSet !== undefined) out.finalSet = options.finalSet;
  if (options?.scoring !== undefined) out.scoring = options.scoring;
  if (options?.periodMinutes !== undefined) out.periodMinutes = options.periodMinutes;
  if (options?.overtimeMinutes !== undefined) out.overtimeMinutes = options.overtimeMinutes;
  if (options?.foulLimit !== undefined) out.foulLimit = options.foulLimit;
  if (options?.doubles !== undefined) out.doubles = options.doubles;
  return out;
}

export function createState(meta: MatchMeta): MatchState {
  return {
    sport: meta.sport,
    options: normalizeOptions(meta.options),
    status: 'scheduled',
    score: pair(),
    sets: [],
    setsWon: pair(),
    period: 0,
    periodOpen: false,
    periodStartScore: pair(),
    firstServer: 'home',
    setFirstServer: 'home',
    serving: null,
    setPoint: null,
    matchPoint: null,
    winner: null,
    clock: { running: false, remainingMs: 0, anchorAt: null },
    tally: { home: emptyTally(meta.sport), away: emptyTally(meta.sport) },
    periodFouls: meta.sport === 'basketball' ? pair() : null,
    tennis:
      meta.sport === 'tennis'
        ? { points: pair(), games: pair(), tiebreak: false, gamesPlayed: 0, tiebreakTo: TENNIS_TIEBREAK_POINTS }
        : null,
    changeEnds: false,
    interval: null,
    serviceCourt: null,
    servingPlayer: null,
    receivingPlayer: null,
    players: doublesPlayers(meta),
    doubles: null,
    timeoutsTaken: pair(),
    lateTimeouts: pair(),
    timeoutsLeft: null,
    overrides: [],
    seq: 0,
    cursor: 0,
    epoch: 0,
    updatedAt: null,
    ignored: [],
    cancelled: [],
  };
}

const copyPair = (p: Pair): Pair => ({ home: p.home, away: p.away });

function copyTally(t: SideTally): SideTally {
  const out: SideTally = {
    timeouts: t.timeouts,
    fouls: t.fouls,
    cards: { yellow: t.cards.yellow, red: t.cards.red, black: t.cards.black },
  };
  if (t.playerFouls) out.playerFouls = { ...t.playerFouls };
  if (t.disqualified) out.disqualified = t.disqualified.slice();
  return out;
}

/** Tennis: the standard tie-break is first to 7, two clear (ITF 5b). */
export const TENNIS_TIEBREAK_POINTS = 7;

function copySet(s: SetScore): SetScore {
  const out: SetScore = { home: s.home, away: s.away };
  if (s.tiebreak) out.tiebreak = copyPair(s.tiebreak);
  return out;
}

function team(name: string, score: number, players: string[] | undefined): MatchSnapshot['home'] {
  return players ? { name, score, players: players.slice() } : { name, score };
}

/** The match is over: nobody serves, no set or match point. */
export function finish(s: MatchState, winner: Side | null): void {
  s.status = 'finished';
  s.winner = winner;
  s.serving = null;
  s.setPoint = null;
  s.matchPoint = null;
  s.servingPlayer = null;
  s.receivingPlayer = null;
  s.serviceCourt = null;
  s.changeEnds = false;
  s.interval = null;
}

/** Basketball: the team fouls after which every further foul gives the opponent free throws (FIBA). */
export const BASKETBALL_TEAM_FOUL_LIMIT = 4;

/** The public snapshot: a fresh object, keys always in this order. */
export function toSnapshot(meta: MatchMeta, s: MatchState): MatchSnapshot {
  const t = s.tennis;
  const fouls = s.periodFouls;
  return {
    id: meta.id,
    sport: meta.sport,
    court: meta.court,
    status: s.status,
    home: team(meta.home.name, s.score.home, meta.home.players),
    away: team(meta.away.name, s.score.away, meta.away.players),
    cursor: s.cursor,
    updatedAt: s.updatedAt,
    seq: s.seq,
    epoch: s.epoch,
    scheduledAt: meta.scheduledAt,
    slotMinutes: meta.slotMinutes,
    options: normalizeOptions(s.options),
    sets: s.sets.map(copySet),
    setsWon: copyPair(s.setsWon),
    ...(t ? { games: copyPair(t.games), points: tennisPointCalls(t.points, t.tiebreak), tiebreak: t.tiebreak } : {}),
    period: s.period,
    serving: s.serving,
    setPoint: s.setPoint,
    matchPoint: s.matchPoint,
    winner: s.winner,
    clock: { running: s.clock.running, remainingMs: s.clock.remainingMs, anchorAt: s.clock.anchorAt },
    tally: { home: copyTally(s.tally.home), away: copyTally(s.tally.away) },
    ...(fouls
      ? {
          periodFouls: copyPair(fouls),
          bonus: {
            home: fouls.away >= BASKETBALL_TEAM_FOUL_LIMIT,
            away: fouls.home >= BASKETBALL_TEAM_FOUL_LIMIT,
          },
        }
      : {}),
    changeEnds: s.changeEnds,
    interval: s.interval ? { reason: s.interval.reason, seconds: s.interval.seconds } : null,
    serviceCourt: s.serviceCourt,
    servingPlayer: s.servingPlayer,
    receivingPlayer: s.receivingPlayer,
    timeoutsLeft: s.timeoutsLeft ? copyPair(s.timeoutsLeft) : null,
    ...(fouls
      ? {
          penalty: {
            home: fouls.home >= BASKETBALL_TEAM_FOUL_LIMIT,
            away: fouls.away >= BASKETBALL_TEAM_FOUL_LIMIT,
          },
        }
      : {}),
    overrides: s.overrides.map((o) => ({ seq: o.seq, at: o.at, reason: o.reason })),
    ignoredSeqs: s.ignored.slice(),
    cancelledSeqs: s.cancelled.slice(),
  };
}

/**
 * Rally-scored set sports (volleyball, badminton, table tennis): every rally is one
 * point, a set is won at a target with two clear (optionally capped), the match at a
 * number of sets. The sport modules supply targets, serve order, the calls for the
 * officials (change ends, intervals), doubles positions and time-out allowances.
 */
import type { Side } from '../../events.js';
import type { MatchOptions, SetScore } from '../../match.js';
import { finish, otherSide, pair, type MatchState, type Pair } from '../state.js';
import type { OverridePayload, PeriodStartPayload, SportRules, StartChoices, TallyPayload } from '../types.js';

/** What just happened, for the sport's calls to the officials. */
export interface RallyOutcome {
  scorer: Side;
  /** The set's score after the rally (before a won set is cleared). */
  score: Pair;
  /** This set is the last one the format allows. */
  deciding: boolean;
  setOver: boolean;
  /** The next set is the last one the format allows. */
  nextDeciding: boolean;
}

/** Doubles positions, per sport (badminton courts, table tennis serve cycle). */
export interface RallyDoubles {
  /** Why these choices cannot be made now (names must be players of the right pair). */
  checkChoices(s: MatchState, p: StartChoices, matchStart: boolean): string | null;
  /** A game begins (match start, a new game, or its PERIOD_START choices). */
  beginGame(s: MatchState, p: StartChoices, matchStart: boolean): void;
  /** A rally was played; `previousServer` served it. */
  rally(s: MatchState, winner: Side, previousServer: Side | null): void;
  /** Who serves and who receives now. */
  who(s: MatchState): { serving: string; receiving: string } | null;
  /** After a SCORE_OVERRIDE (`sameGame`: still the game being played); default: the game begins anew. */
  afterOverride?(s: MatchState, sameGame: boolean): void;
}

export interface RallyFormat {
  defaultBestOf(o: MatchOptions): number;
  /** Points that win a set; `deciding` is true for the last possible set. */
  target(o: MatchOptions, deciding: boolean): number;
  /** A score that wins outright whatever the margin (badminton 30), or null. */
  cap(o: MatchOptions): number | null;
  /** Who serves first in set `setIndex`; `previousWinner` is null for the first set. */
  setFirstServer(s: MatchState, setIndex: number, previousWinner: Side | null): Side;
  /** Who serves after a point (table tennis alternates; others: the rally winner). */
  server(s: MatchState, rallyWinner: Side): Side;
  /** Sets changeEnds / interval after a rally that did not end the match. */
  calls(s: MatchState, o: RallyOutcome): void;
  /** Time-outs a team may take per set, or null when the sport does not limit them here. */
  timeoutsPerSet?(o: MatchOptions): number;
  doubles?: RallyDoubles;
  /** PERIOD_START {firstServer}: allowed only where a toss decides the set's first server. */
  tossAllowed?(s: MatchState): boolean;
  /** Service court of the server (badminton), from the state. */
  serviceCourt?(s: MatchState): 'right' | 'left' | null;
}

export function bestOf(format: RallyFormat, o: MatchOptions): number {
  return o.bestOf ?? format.defaultBestOf(o);
}

export function setsToWin(format: RallyFormat, o: MatchOptions): number {
  return Math.floor(bestOf(format, o) / 2) + 1;
}

/** The set's winner at this score, or null while it goes on. */
export function setWinner(home: number, away: number, target: number, cap: number | null): Side | null {
  if (home >= target && home - away >= 2) return 'home';
  if (away >= target && away - home >= 2) return 'away';
  if (cap !== null && home >= cap && home > away) return 'home';
  if (cap !== null && away >= cap && away > home) return 'away';
  return null;
}

function isDeciding(format: RallyFormat, s: MatchState, setIndex: number): boolean {
  return setIndex === bestOf(format, s.options) - 1;
}

function currentTarget(format: RallyFormat, s: MatchState): number {
  return format.target(s.options, isDeciding(format, s, s.sets.length));
}

/** Set point and match point: the side whose next point would win the set (and match); call after `serving` is set. */
function annotate(format: RallyFormat, s: MatchState): void {
  const target = currentTarget(format, s);
  const cap = format.cap(s.options);
  const { home, away } = s.score;
  const homeCan = setWinner(home + 1, away, target, cap) === 'home';
  const awayCan = setWinner(home, away + 1, target, cap) === 'away';
  // Both only at a cap (badminton 29-29): the side serving is the one on set point.
  const side: Side | null = homeCan && awayCan ? s.serving : homeCan ? 'home' : awayCan ? 'away' : null;
  s.setPoint = side;
  s.matchPoint = side !== null && s.setsWon[side] + 1 === setsToWin(format, s.options) ? side : null;
}

/** A finished set as the format ends one: won, and not already won a point earlier. */
function finishedSetProblem(format: RallyFormat, s: MatchState, set: SetScore, index: number): string | null {
  const target = format.target(s.options, isDeciding(format, s, index));
  const cap = format.cap(s.options);
  const won = setWinner(set.home, set.away, target, cap);
  if (won === null) return `payload.sets[${index}]: ${set.home}-${set.away} does not end a set to ${target}`;
  const before = { home: set.home, away: set.away };
  before[won]--;
  if (setWinner(before.home, before.away, target, cap) !== null)
    return `payload.sets[${index}]: ${set.home}-${set.away} goes on past the end of the set`;
  if (set.tiebreak !== undefined) return `payload.sets[${index}].tiebreak: ${s.sport} has no tie-breaks`;
  return null;
}

function startGame(format: RallyFormat, s: MatchState, choices: StartChoices, matchStart: boolean): void {
  s.timeoutsTaken = pair();
  format.doubles?.beginGame(s, choices, matchStart);
}

export function rallyRules(format: RallyFormat): SportRules {
  return {
    periods: false,
    checkStart(s, p) {
      if (p.serverOrder !== undefined) return `payload.serverOrder: ${s.sport} has no serve order to choose`;
      if (format.doubles && s.players) return format.doubles.checkChoices(s, p, true);
      if (p.firstServerPlayer !== undefined || p.firstReceiverPlayer !== undefined)
        return 'payload.firstServerPlayer: only doubles choose players';
      return null;
    },
    start(s, p) {
      s.firstServer = p.firstServer ?? 'home';
      s.period = 1;
      s.setFirstServer = format.setFirstServer(s, 0, null);
      s.serving = s.setFirstServer;
      startGame(format, s, p, true);
      annotate(format, s);
    },
    checkScore(s, _side, points) {
      return points === 1 ? null : `payload.points: ${s.sport} scores exactly one point per rally, not ${points}`;
    },
    score(s, side) {
      const previousServer = s.serving;
      s.score[side]++;
      const deciding = isDeciding(format, s, s.sets.length);
      const won = setWinner(s.score.home, s.score.away, currentTarget(format, s), format.cap(s.options));
      const outcome: RallyOutcome = {
        scorer: side,
        score: { home: s.score.home, away: s.score.away },
        deciding,
        setOver: won !== null,
        nextDeciding: won !== null && isDeciding(format, s, s.sets.length + 1),
      };
      if (won === null) {
        s.serving = format.server(s, side);
        format.doubles?.rally(s, side, previousServer);
        format.calls(s, outcome);
        annotate(format, s);
        return;
      }
      s.sets.push({ home: s.score.home, away: s.score.away });
      s.setsWon[won]++;
      s.score = { home: 0, away: 0 };
      if (s.setsWon[won] === setsToWin(format, s.options)) {
        finish(s, won);
        return;
      }
      s.period = s.sets.length + 1;
      s.setFirstServer = format.setFirstServer(s, s.sets.length, won);
      s.serving = s.setFirstServer;
      startGame(format, s, {}, false);
      format.calls(s, outcome);
      annotate(format, s);
    },
    checkEnd: () => null,
    // Ended before it was decided (abandoned): no winner unless the operator names one.
    endWinner: () => null,
    checkPeriodStart(s, p: PeriodStartPayload) {
      if (p.period !== undefined && p.period !== s.period)
        return `payload.period: the set being played is ${s.period}, not ${p.period}`;
      if (s.score.home + s.score.away > 0)
        return `set ${s.period} has begun: its choices are made before the first rally`;
      if (p.serverOrder !== undefined) return `payload.serverOrder: ${s.sport} has no serve order to choose`;
      if (p.firstServer !== undefined && !format.tossAllowed?.(s))
        return `payload.firstServer: in set ${s.period} the rules decide who serves first`;
      if (p.firstServerPlayer !== undefined || p.firstReceiverPlayer !== undefined) {
        if (!format.doubles || !s.players) return 'payload.firstServerPlayer: only doubles choose players';
        return format.doubles.checkChoices(s, { ...p, firstServer: p.firstServer ?? s.serving ?? 'home' }, false);
      }
      return null;
    },
    periodStart(s, p) {
      if (p.firstServer !== undefined) {
        s.setFirstServer = p.firstServer;
        s.serving = p.firstServer;
      }
      format.doubles?.beginGame(s, p, false);
      annotate(format, s);
    },
    checkTally(s, p: TallyPayload) {
      const limit = format.timeoutsPerSet?.(s.options);
      if (p.kind !== 'timeout' || limit === undefined || p.side === undefined) return null;
      if (s.timeoutsTaken[p.side] >= limit)
        return `${p.side} has no time-outs left in set ${s.period} (${limit} per set)`;
      return null;
    },
    tally(s, p) {
      if (p.kind === 'timeout' && p.side !== undefined && format.timeoutsPerSet) s.timeoutsTaken[p.side]++;
    },
    checkOverride(s, p: OverridePayload) {
      const sets = p.sets ?? s.sets;
      const won = pair();
      for (let i = 0; i < sets.length; i++) {
        const problem = finishedSetProblem(format, s, sets[i]!, i);
        if (problem) return problem;
        won[sets[i]!.home > sets[i]!.away ? 'home' : 'away']++;
      }
      const needed = setsToWin(format, s.options);
      if (won.home >= needed || won.away >= needed)
        return `payload.sets: that decides the match (best of ${bestOf(format, s.options)}): end it with MATCH_END`;
      if (p.home.games !== undefined || p.away.games !== undefined)
        return `payload.home.games: ${s.sport} has no games within a set`;
      const target = format.target(s.options, isDeciding(format, s, sets.length));
      if (setWinner(p.home.points, p.away.points, target, format.cap(s.options)) !== null)
        return `payload.home.points: ${p.home.points}-${p.away.points} has already won the set`;
      return null;
    },
    override(s, p) {
      const sets = p.sets ?? s.sets;
      const newSet = sets.length !== s.sets.length;
      s.sets = sets.map((x) => ({ home: x.home, away: x.away }));
      s.setsWon = pair();
      for (const x of s.sets) s.setsWon[x.home > x.away ? 'home' : 'away']++;
      s.score = { home: p.home.points, away: p.away.points };
      s.period = s.sets.length + 1;
      const serving = p.serving ?? s.serving ?? s.firstServer;
      if (newSet) s.timeoutsTaken = pair();
      // Who serves first in the set follows from who serves at this score (table tennis alternates).
      s.setFirstServer = serving;
      if (format.server(s, serving) !== serving) s.setFirstServer = otherSide(serving);
      s.serving = serving;
      if (format.doubles?.afterOverride) format.doubles.afterOverride(s, !newSet);
      else format.doubles?.beginGame(s, { firstServer: s.serving }, false);
      annotate(format, s);
    },
    refresh(s) {
      const limit = format.timeoutsPerSet?.(s.options);
      s.timeoutsLeft =
        limit === undefined
          ? null
          : { home: Math.max(0, limit - s.timeoutsTaken.home), away: Math.max(0, limit - s.timeoutsTaken.away) };
      s.serviceCourt = format.serviceCourt?.(s) ?? null;
      const who = format.doubles?.who(s) ?? null;
      s.servingPlayer = who?.serving ?? null;
      s.receivingPlayer = who?.receiving ?? null;
    },
  };
}

/** Serve order of sports where sets alternate the first server. */
export function alternatingFirstServer(s: MatchState, setIndex: number): Side {
  return setIndex % 2 === 0 ? s.firstServer : otherSide(s.firstServer);
}

/** True when `scorer` has just reached `mark` first in the set (the other side is below it). */
export function firstReached(o: RallyOutcome, mark: number): boolean {
  return o.score[o.scorer] === mark && o.score[otherSide(o.scorer)] < mark;
}

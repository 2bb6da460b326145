/**
 * Tennis (ITF Rules of Tennis): points 0/15/30/40, deuce and advantage, or with
 * options.noAd a deciding point at deuce (Appendix V); games; sets to 6 with two clear
 * and a 7-point tie-break at 6-6 (Rule 5b); best of 3 or 5 (options.bestOf). The
 * deciding set (options.finalSet): `tiebreak7` (default), `tiebreak10` at 6-6,
 * `advantage` (no tie-break), `matchTiebreak10` (a 10-point match tie-break replaces it,
 * recorded 1-0). The server alternates by game; in a tie-break the player due to serve
 * serves one point, then two each; the tie-break's first receiver serves the next set's
 * first game. Ends change after the first, third and every odd game of a set, a tie-break
 * counting as the set's 13th game, and every 6 points of a tie-break (Rule 10).
 *
 * snapshot.home.score is the games of the current set (what a tennis scoreboard shows
 * biggest next to the sets); points are in snapshot.points as calls ("15", "AD").
 */
import type { Side } from '../../events.js';
import type { SetScore } from '../../match.js';
import { finish, otherSide, pair, TENNIS_TIEBREAK_POINTS, type MatchState, type TennisState } from '../state.js';
import type { OverridePayload, SportRules, StartChoices } from '../types.js';
import { tennisDoubles } from './tennis-doubles.js';

const POINTS_FOR_GAME = 4;
const GAMES_FOR_SET = 6;
/** The 10-point tie-break of `tiebreak10` and `matchTiebreak10` (ITF Appendix V). */
export const TENNIS_LONG_TIEBREAK_POINTS = 10;
/** Rule 10: ends change every 6 points of a tie-break. */
const TIEBREAK_CHANGE_EVERY = 6;

/** How the set being played is decided. */
interface SetFormat {
  noAd: boolean;
  /** Points of the tie-break at 6-6, or null for an advantage set. */
  tiebreakAtSix: number | null;
  /** The whole set is one match tie-break. */
  matchTiebreak: boolean;
}

function setsToWin(s: MatchState): number {
  return Math.floor((s.options.bestOf ?? 3) / 2) + 1;
}

export function setFormat(s: MatchState, setIndex: number): SetFormat {
  const noAd = s.options.noAd === true;
  const deciding = setIndex === (s.options.bestOf ?? 3) - 1;
  if (!deciding) return { noAd, tiebreakAtSix: TENNIS_TIEBREAK_POINTS, matchTiebreak: false };
  switch (s.options.finalSet ?? 'tiebreak7') {
    case 'advantage':
      return { noAd, tiebreakAtSix: null, matchTiebreak: false };
    case 'tiebreak7':
      return { noAd, tiebreakAtSix: TENNIS_TIEBREAK_POINTS, matchTiebreak: false };
    case 'tiebreak10':
      return { noAd, tiebreakAtSix: TENNIS_LONG_TIEBREAK_POINTS, matchTiebreak: false };
    case 'matchTiebreak10':
      return { noAd, tiebreakAtSix: null, matchTiebreak: true };
  }
}

/** A set's opening state: a match tie-break starts as a tie-break. */
function freshTennis(gamesPlayed: number, f: SetFormat): TennisState {
  return {
    points: pair(),
    games: pair(),
    tiebreak: f.matchTiebreak,
    gamesPlayed,
    tiebreakTo: f.matchTiebreak ? TENNIS_LONG_TIEBREAK_POINTS : TENNIS_TIEBREAK_POINTS,
  };
}

function clearLead(mine: number, theirs: number, needed: number): boolean {
  return mine >= needed && mine - theirs >= 2;
}

function gameWon(t: TennisState, side: Side, f: SetFormat): boolean {
  const mine = t.points[side];
  // No-ad: at deuce (3-3) the next point decides, so the first to 4 wins.
  if (f.noAd) return mine >= POINTS_FOR_GAME;
  return clearLead(mine, t.points[otherSide(side)], POINTS_FOR_GAME);
}

function setWon(games: { home: number; away: number }, side: Side, f: SetFormat): boolean {
  return clearLead(games[side], games[otherSide(side)], GAMES_FOR_SET);
}

type PointResult = { kind: 'point' } | { kind: 'game' } | { kind: 'set'; set: SetScore };

/** Plays one point on `t`. A won set leaves `t` as it was at the end of the set. */
function playPoint(t: TennisState, side: Side, f: SetFormat): PointResult {
  const other = otherSide(side);
  t.points[side]++;
  if (t.tiebreak) {
    if (!clearLead(t.points[side], t.points[other], t.tiebreakTo)) return { kind: 'point' };
    const set: SetScore = {
      home: t.games.home + (side === 'home' ? 1 : 0),
      away: t.games.away + (side === 'away' ? 1 : 0),
      tiebreak: { home: t.points.home, away: t.points.away },
    };
    t.gamesPlayed++;
    return { kind: 'set', set };
  }
  if (!gameWon(t, side, f)) return { kind: 'point' };
  t.points = pair();
  t.games[side]++;
  t.gamesPlayed++;
  if (setWon(t.games, side, f)) return { kind: 'set', set: { home: t.games.home, away: t.games.away } };
  if (t.games.home === GAMES_FOR_SET && t.games.away === GAMES_FOR_SET && f.tiebreakAtSix !== null) {
    t.tiebreak = true;
    t.tiebreakTo = f.tiebreakAtSix;
  }
  return { kind: 'game' };
}

function cloneTennis(t: TennisState): TennisState {
  return { ...t, points: { ...t.points }, games: { ...t.games } };
}

/** Service turns passed in a tie-break: one point, then two each. */
export function tiebreakTurn(t: TennisState): number {
  return t.tiebreak ? Math.floor((t.points.home + t.points.away + 1) / 2) : 0;
}

export function tennisServer(s: MatchState, t: TennisState): Side {
  const due = t.gamesPlayed % 2 === 0 ? s.firstServer : otherSide(s.firstServer);
  return tiebreakTurn(t) % 2 === 0 ? due : otherSide(due);
}

function annotate(s: MatchState, t: TennisState): void {
  s.score = { home: t.games.home, away: t.games.away };
  s.serving = tennisServer(s, t);
  s.setPoint = null;
  s.matchPoint = null;
  const f = setFormat(s, s.sets.length);
  for (const side of ['home', 'away'] as const) {
    if (playPoint(cloneTennis(t), side, f).kind !== 'set') continue;
    s.setPoint = side;
    if (s.setsWon[side] + 1 === setsToWin(s)) s.matchPoint = side;
  }
}

/** Why these games and points cannot be the state of set `index`, or null. */
function currentProblem(s: MatchState, index: number, p: OverridePayload): string | null {
  const f = setFormat(s, index);
  const games = { home: p.home.games ?? 0, away: p.away.games ?? 0 };
  const points = { home: p.home.points, away: p.away.points };
  const finished =
    setWon(games, 'home', f) ||
    setWon(games, 'away', f) ||
    (f.tiebreakAtSix !== null && Math.max(games.home, games.away) > GAMES_FOR_SET);
  if (f.matchTiebreak && games.home + games.away > 0) return 'payload.home.games: a match tie-break has no games';
  if (finished) return `payload.home.games: ${games.home}-${games.away} has already won the set`;
  const tiebreak =
    f.matchTiebreak || (f.tiebreakAtSix !== null && games.home === GAMES_FOR_SET && games.away === GAMES_FOR_SET);
  const to = f.matchTiebreak ? TENNIS_LONG_TIEBREAK_POINTS : (f.tiebreakAtSix ?? TENNIS_TIEBREAK_POINTS);
  const won = tiebreak
    ? clearLead(points.home, points.away, to) || clearLead(points.away, points.home, to)
    : f.noAd
      ? points.home >= POINTS_FOR_GAME || points.away >= POINTS_FOR_GAME
      : clearLead(points.home, points.away, POINTS_FOR_GAME) || clearLead(points.away, points.home, POINTS_FOR_GAME);
  return won ? `payload.home.points: ${points.home}-${points.away} has already won the game` : null;
}

/** Why a set cannot have ended this way, or null. */
function finishedSetProblem(s: MatchState, set: SetScore, index: number): string | null {
  const f = setFormat(s, index);
  const w: Side = set.home > set.away ? 'home' : 'away';
  const l = otherSide(w);
  const tb = set.tiebreak;
  const tiebreakEnded = (to: number) =>
    tb !== undefined && clearLead(tb[w], tb[l], to) && !clearLead(tb[w] - 1, tb[l], to);
  const where = `payload.sets[${index}]`;
  if (f.matchTiebreak) {
    if (set[w] !== 1 || set[l] !== 0) return `${where}: a match tie-break is recorded 1-0`;
    return tiebreakEnded(TENNIS_LONG_TIEBREAK_POINTS) ? null : `${where}.tiebreak: not a won 10-point tie-break`;
  }
  if (f.tiebreakAtSix !== null && set[w] === 7 && set[l] === 6) {
    if (tb === undefined || tiebreakEnded(f.tiebreakAtSix)) return null;
    return `${where}.tiebreak: not a won ${f.tiebreakAtSix}-point tie-break`;
  }
  if (tb !== undefined) return `${where}.tiebreak: only a 7-6 set has a tie-break`;
  const ends = set[w] >= GAMES_FOR_SET && set[w] - set[l] === 2;
  const early = set[w] === GAMES_FOR_SET && set[l] <= GAMES_FOR_SET - 2;
  if (early || (ends && (f.tiebreakAtSix === null || set[w] === 7))) return null;
  return `${where}: ${set.home}-${set.away} does not end a set`;
}

function gamesIn(set: SetScore): number {
  return set.home + set.away;
}

export const tennisRules: SportRules = {
  periods: false,
  checkStart(s, p) {
    if (s.players) return tennisDoubles.checkChoices(s, p, p.firstServer ?? 'home');
    if ((p.firstServerPlayer ?? p.firstReceiverPlayer ?? p.serverOrder) !== undefined)
      return 'payload.firstServerPlayer: only doubles choose players';
    return null;
  },
  start(s, p: StartChoices) {
    s.firstServer = p.firstServer ?? 'home';
    s.setFirstServer = s.firstServer;
    s.period = 1;
    s.tennis = freshTennis(0, setFormat(s, 0));
    if (s.players) tennisDoubles.begin(s, p, s.firstServer, 0);
    annotate(s, s.tennis);
  },
  checkScore(_s, _side, points) {
    return points === 1 ? null : `payload.points: tennis scores exactly one point per rally, not ${points}`;
  },
  score(s, side) {
    const t = s.tennis ?? (s.tennis = freshTennis(0, setFormat(s, s.sets.length)));
    const result = playPoint(t, side, setFormat(s, s.sets.length));
    if (result.kind === 'set') {
      s.sets.push(result.set);
      s.setsWon[side]++;
      s.score = pair();
      if (s.setsWon[side] === setsToWin(s)) {
        finish(s, side);
        return;
      }
      s.period = s.sets.length + 1;
      Object.assign(t, freshTennis(t.gamesPlayed, setFormat(s, s.sets.length)));
      // Rule 10: after a set with an odd number of games (a tie-break is the 13th).
      if (gamesIn(result.set) % 2 === 1) s.changeEnds = true;
    } else if (result.kind === 'game') {
      if ((t.games.home + t.games.away) % 2 === 1) s.changeEnds = true;
    } else if (t.tiebreak && (t.points.home + t.points.away) % TIEBREAK_CHANGE_EVERY === 0) s.changeEnds = true;
    annotate(s, t);
  },
  checkEnd: () => null,
  endWinner: () => null,
  checkPeriodStart(s, p) {
    const t = s.tennis;
    if (p.period !== undefined && p.period !== s.period)
      return `payload.period: the set being played is ${s.period}, not ${p.period}`;
    if (!t || t.games.home + t.games.away + t.points.home + t.points.away > 0)
      return `set ${s.period} has begun: its choices are made before the first point`;
    const due = tennisServer(s, t);
    if (p.firstServer !== undefined && p.firstServer !== due)
      return `payload.firstServer: ${due} serves first in set ${s.period} (the pair that received last)`;
    if (!s.players) {
      if (p.firstServerPlayer ?? p.firstReceiverPlayer ?? p.serverOrder)
        return 'payload.firstServerPlayer: only doubles choose players';
      return null;
    }
    return tennisDoubles.checkChoices(s, p, due);
  },
  periodStart(s, p) {
    const t = s.tennis;
    if (!t || !s.players) return;
    tennisDoubles.begin(s, p, tennisServer(s, t), t.gamesPlayed);
  },
  checkOverride(s, p) {
    const sets = p.sets ?? s.sets;
    const won = pair();
    for (let i = 0; i < sets.length; i++) {
      const problem = finishedSetProblem(s, sets[i]!, i);
      if (problem) return problem;
      won[sets[i]!.home > sets[i]!.away ? 'home' : 'away']++;
    }
    if (won.home >= setsToWin(s) || won.away >= setsToWin(s))
      return `payload.sets: that decides the match (best of ${s.options.bestOf ?? 3}): end it with MATCH_END`;
    return currentProblem(s, sets.length, p);
  },
  override(s, p) {
    const sets = p.sets ?? s.sets;
    s.sets = sets.map((x) =>
      x.tiebreak ? { home: x.home, away: x.away, tiebreak: { ...x.tiebreak } } : { home: x.home, away: x.away },
    );
    s.setsWon = pair();
    for (const x of s.sets) s.setsWon[x.home > x.away ? 'home' : 'away']++;
    s.period = s.sets.length + 1;
    const f = setFormat(s, s.sets.length);
    const played = s.sets.reduce((n, x) => n + gamesIn(x), 0);
    const t = freshTennis(played, f);
    t.games = { home: p.home.games ?? 0, away: p.away.games ?? 0 };
    t.gamesPlayed += t.games.home + t.games.away;
    t.points = { home: p.home.points, away: p.away.points };
    if (
      !f.matchTiebreak &&
      f.tiebreakAtSix !== null &&
      t.games.home === GAMES_FOR_SET &&
      t.games.away === GAMES_FOR_SET
    ) {
      t.tiebreak = true;
      t.tiebreakTo = f.tiebreakAtSix;
    }
    s.tennis = t;
    const wanted = p.serving ?? s.serving ?? s.firstServer;
    // The rotation follows from games played: turn it so that `wanted` serves now.
    if (tennisServer(s, t) !== wanted) s.firstServer = otherSide(s.firstServer);
    if (s.players) tennisDoubles.realign(s, wanted);
    annotate(s, t);
  },
  refresh(s) {
    const who = s.tennis && s.players ? tennisDoubles.who(s, s.tennis) : null;
    s.servingPlayer = who?.serving ?? null;
    s.receivingPlayer = who?.receiving ?? null;
  },
};

/**
 * Tennis: points 0/15/30/40, deuce and advantage; games; sets to 6 with two clear and
 * a tie-break at 6-6 (first to 7, two clear; also in the final set); best of three
 * (options.bestOf: 5). The server alternates by game; in a tie-break the player due
 * to serve serves one point, then two each. The player who received first in a
 * tie-break serves the next set's first game.
 *
 * snapshot.home.score is the games of the current set (what a tennis scoreboard shows
 * biggest next to the sets); points are in snapshot.points as calls ("15", "AD").
 */
import type { Side } from '../../events.js';
import type { SetScore } from '../../match.js';
import { finish, otherSide, type MatchState, type TennisState } from '../state.js';
import type { SportRules } from '../types.js';

const POINTS_FOR_GAME = 4;
const GAMES_FOR_SET = 6;
const TIEBREAK_POINTS = 7;

function setsToWin(s: MatchState): number {
  return Math.floor((s.options.bestOf ?? 3) / 2) + 1;
}

function freshTennis(gamesPlayed: number): TennisState {
  return { points: { home: 0, away: 0 }, games: { home: 0, away: 0 }, tiebreak: false, gamesPlayed };
}

function clearLead(mine: number, theirs: number, needed: number): boolean {
  return mine >= needed && mine - theirs >= 2;
}

/** Plays one point on `t`; returns the finished set when the point won one. */
function playPoint(t: TennisState, side: Side): SetScore | null {
  const other = otherSide(side);
  t.points[side]++;
  if (t.tiebreak) {
    if (!clearLead(t.points[side], t.points[other], TIEBREAK_POINTS)) return null;
    const set: SetScore = {
      home: t.games.home + (side === 'home' ? 1 : 0),
      away: t.games.away + (side === 'away' ? 1 : 0),
      tiebreak: { home: t.points.home, away: t.points.away },
    };
    Object.assign(t, freshTennis(t.gamesPlayed + 1));
    return set;
  }
  if (!clearLead(t.points[side], t.points[other], POINTS_FOR_GAME)) return null;
  t.points = { home: 0, away: 0 };
  t.games[side]++;
  t.gamesPlayed++;
  if (clearLead(t.games[side], t.games[other], GAMES_FOR_SET)) {
    const set: SetScore = { home: t.games.home, away: t.games.away };
    Object.assign(t, freshTennis(t.gamesPlayed));
    return set;
  }
  if (t.games.home === GAMES_FOR_SET && t.games.away === GAMES_FOR_SET) t.tiebreak = true;
  return null;
}

function cloneTennis(t: TennisState): TennisState {
  return { points: { ...t.points }, games: { ...t.games }, tiebreak: t.tiebreak, gamesPlayed: t.gamesPlayed };
}

export function tennisServer(s: MatchState, t: TennisState): Side {
  const due = t.gamesPlayed % 2 === 0 ? s.firstServer : otherSide(s.firstServer);
  if (!t.tiebreak) return due;
  const played = t.points.home + t.points.away;
  return Math.floor((played + 1) / 2) % 2 === 0 ? due : otherSide(due);
}

function annotate(s: MatchState, t: TennisState): void {
  s.score = { home: t.games.home, away: t.games.away };
  s.serving = tennisServer(s, t);
  s.setPoint = null;
  s.matchPoint = null;
  for (const side of ['home', 'away'] as const) {
    if (playPoint(cloneTennis(t), side) === null) continue;
    s.setPoint = side;
    if (s.setsWon[side] + 1 === setsToWin(s)) s.matchPoint = side;
  }
}

export const tennisRules: SportRules = {
  periods: false,
  start(s, firstServer) {
    s.firstServer = firstServer;
    s.setFirstServer = firstServer;
    s.period = 1;
    s.tennis = freshTennis(0);
    annotate(s, s.tennis);
  },
  checkScore(_s, _side, points) {
    return points === 1 ? null : `payload.points: tennis scores exactly one point per rally, not ${points}`;
  },
  score(s, side) {
    const t = s.tennis ?? (s.tennis = freshTennis(0));
    const set = playPoint(t, side);
    if (set !== null) {
      s.sets.push(set);
      s.setsWon[side]++;
      s.score = { home: 0, away: 0 };
      if (s.setsWon[side] === setsToWin(s)) {
        finish(s, side);
        return;
      }
      s.period = s.sets.length + 1;
    }
    annotate(s, t);
  },
  checkEnd: () => null,
  endWinner: () => null,
};

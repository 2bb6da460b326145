/**
 * Rally-scored set sports (volleyball, badminton, table tennis): every rally is one
 * point, a set is won at a target with two clear (optionally capped), the match at a
 * number of sets. The sport modules supply targets and serve order.
 */
import type { Side } from '../../events.js';
import type { MatchOptions } from '../../match.js';
import { finish, otherSide, type MatchState } from '../state.js';
import type { SportRules } from '../types.js';

export interface RallyFormat {
  defaultBestOf(o: MatchOptions): number;
  /** Points that win set `setIndex` (0-based) when `deciding` is true for the last possible set. */
  target(o: MatchOptions, deciding: boolean): number;
  /** A score that wins outright whatever the margin (badminton 30), or null. */
  cap: number | null;
  /** Who serves first in set `setIndex`; `previousWinner` is null for the first set. */
  setFirstServer(s: MatchState, setIndex: number, previousWinner: Side | null): Side;
  /** Who serves after a point (table tennis alternates; others: the rally winner). */
  server(s: MatchState, rallyWinner: Side): Side;
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

function currentTarget(format: RallyFormat, s: MatchState): number {
  const deciding = s.sets.length === bestOf(format, s.options) - 1;
  return format.target(s.options, deciding);
}

/** Set point and match point: the side whose next point would win the set (and match); call after `serving` is set. */
function annotate(format: RallyFormat, s: MatchState): void {
  const target = currentTarget(format, s);
  const { home, away } = s.score;
  const homeCan = setWinner(home + 1, away, target, format.cap) === 'home';
  const awayCan = setWinner(home, away + 1, target, format.cap) === 'away';
  // Both only at a cap (badminton 29-29): the side serving is the one on set point.
  const side: Side | null = homeCan && awayCan ? s.serving : homeCan ? 'home' : awayCan ? 'away' : null;
  s.setPoint = side;
  s.matchPoint = side !== null && s.setsWon[side] + 1 === setsToWin(format, s.options) ? side : null;
}

export function rallyRules(format: RallyFormat): SportRules {
  return {
    periods: false,
    start(s, firstServer) {
      s.firstServer = firstServer;
      s.period = 1;
      s.setFirstServer = format.setFirstServer(s, 0, null);
      s.serving = s.setFirstServer;
      annotate(format, s);
    },
    checkScore(s, _side, points) {
      return points === 1 ? null : `payload.points: ${s.sport} scores exactly one point per rally, not ${points}`;
    },
    score(s, side) {
      s.score[side]++;
      const won = setWinner(s.score.home, s.score.away, currentTarget(format, s), format.cap);
      if (won === null) {
        s.serving = format.server(s, side);
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
      annotate(format, s);
    },
    checkEnd: () => null,
    // Ended before it was decided (abandoned): no winner unless the operator names one.
    endWinner: () => null,
  };
}

/** Serve order of sports where sets alternate the first server. */
export function alternatingFirstServer(s: MatchState, setIndex: number): Side {
  return setIndex % 2 === 0 ? s.firstServer : otherSide(s.firstServer);
}

/**
 * Table tennis (ITTF Handbook, Laws 2.11-2.15): games to 11, two clear, best of 3, 5
 * (default) or 7 (options.bestOf). Service changes every two points, and every point
 * from 10-10 (2.13.3); the player who served first in a game receives first in the next
 * (2.13.4). Ends change after each game and when a player first reaches 5 in the
 * deciding game (2.15); one minute between games (3.4.4.1).
 */
import type { Side } from '../../events.js';
import { otherSide, type MatchState } from '../state.js';
import {
  alternatingFirstServer,
  bestOf,
  firstReached,
  rallyRules,
  type RallyDoubles,
  type RallyFormat,
} from './rally.js';
import { partnerOf, playerProblem } from './doubles.js';

/** Points played before 10-10; from there service changes after every point. */
const DEUCE_POINTS = 20;
/** ITTF 3.4.4.1: up to one minute between games. */
export const TABLE_TENNIS_BETWEEN_GAMES_S = 60;
/** ITTF 2.14.2 / 2.15: at 5 in the deciding game, ends change and doubles receivers swap. */
const DECIDING_GAME_CHANGE = 5;

/** How many service turns have passed in the game (two points each, one from 10-10). */
function serviceTurn(s: MatchState): number {
  const played = s.score.home + s.score.away;
  return played < DEUCE_POINTS ? Math.floor(played / 2) : played - DEUCE_POINTS / 2;
}

export function tableTennisServer(s: MatchState): Side {
  return serviceTurn(s) % 2 === 0 ? s.setFirstServer : otherSide(s.setFirstServer);
}

/**
 * ITTF 2.13.2-2.14.2 (doubles): the serve cycle [X, Y, X', Y'] where each player serves
 * to the next. The serving pair chooses X each game; in the first game the receiving
 * pair chooses Y, later Y is the player who served to X in the game before. In the
 * deciding game the pair due to receive changes its order when a pair first reaches 5.
 */
const tableTennisDoubles: RallyDoubles = {
  checkChoices(s, p, matchStart) {
    const serving = p.firstServer ?? (matchStart ? 'home' : s.setFirstServer);
    const wrong =
      playerProblem(s, serving, p.firstServerPlayer, 'firstServerPlayer') ??
      playerProblem(s, otherSide(serving), p.firstReceiverPlayer, 'firstReceiverPlayer');
    if (wrong || matchStart || p.firstReceiverPlayer === undefined) return wrong;
    const due = receiverAfter(previousCycle(s), p.firstServerPlayer ?? s.players![serving][0]!);
    return due === null || due === p.firstReceiverPlayer
      ? null
      : `payload.firstReceiverPlayer: ITTF 2.13.2: in game ${s.period} ${due} receives first (who served to the first server in the game before)`;
  },
  beginGame(s, p, matchStart) {
    const players = s.players;
    if (!players) return;
    const serving = s.setFirstServer;
    const receiving = otherSide(serving);
    const x = p.firstServerPlayer ?? players[serving][0]!;
    const previous = previousCycle(s);
    const y = (matchStart ? undefined : receiverAfter(previous, x)) ?? p.firstReceiverPlayer ?? players[receiving][0]!;
    const cycle = [x, y, partnerOf(s, serving, x), partnerOf(s, receiving, y)];
    s.doubles = { sport: 'table-tennis', cycle, previous, game: s.sets.length, swappedAt: null };
  },
  rally(s, winner) {
    const d = s.doubles;
    if (d?.sport !== 'table-tennis') return;
    const deciding = s.sets.length === bestOf(tableTennisFormat, s.options) - 1;
    const score = { home: s.score.home, away: s.score.away };
    if (
      !deciding ||
      !firstReached({ scorer: winner, score, deciding, setOver: false, nextDeciding: false }, DECIDING_GAME_CHANGE)
    )
      return;
    swapReceivers(d.cycle, serviceTurn(s));
    d.swappedAt = serviceTurn(s);
  },
  afterOverride(s, sameGame) {
    const d = s.doubles;
    if (!sameGame || d?.sport !== 'table-tennis' || d.game !== s.sets.length) {
      // A new game: the serving pair's first-listed player serves first, the receiver by 2.13.2.
      tableTennisDoubles.beginGame(s, {}, false);
    } else {
      // The same game: its choices stand. A receiver change the new score is below is undone.
      const past = Math.max(s.score.home, s.score.away) >= DECIDING_GAME_CHANGE;
      if (d.swappedAt !== null && !past) {
        swapReceivers(d.cycle, d.swappedAt);
        d.swappedAt = null;
      }
      // Serving moved to the other pair: shift the cycle a place, so each still serves to the same player.
      if (!s.players![s.setFirstServer].includes(d.cycle[0]!)) {
        d.cycle.push(d.cycle.shift()!);
        if (d.swappedAt !== null) d.swappedAt = (d.swappedAt + 3) % 4;
      }
    }
    const e = s.doubles;
    const deciding = s.sets.length === bestOf(tableTennisFormat, s.options) - 1;
    if (e?.sport !== 'table-tennis' || !deciding || e.swappedAt !== null) return;
    if (Math.max(s.score.home, s.score.away) < DECIDING_GAME_CHANGE) return;
    // Past 5 in the deciding game with no change recorded: the score cannot say when a pair
    // first reached 5, so the pair receiving now is taken to have changed its order now.
    swapReceivers(e.cycle, serviceTurn(s));
    e.swappedAt = serviceTurn(s);
  },
  who(s) {
    const d = s.doubles;
    if (d?.sport !== 'table-tennis') return null;
    const t = serviceTurn(s);
    return { serving: d.cycle[t % 4]!, receiving: d.cycle[(t + 1) % 4]! };
  },
};

/** ITTF 2.14.2: at service turn `t` the receiving pair changes its order; the server goes on. */
function swapReceivers(cycle: string[], t: number): void {
  const a = (t + 1) % 4;
  const b = (t + 3) % 4;
  [cycle[a], cycle[b]] = [cycle[b]!, cycle[a]!];
}

/** The cycle the game before ended with (null in the first game). */
function previousCycle(s: MatchState): string[] | null {
  const d = s.doubles;
  if (d?.sport !== 'table-tennis' || s.sets.length === 0) return null;
  // Choices made again at the start of the same game keep the game before's cycle.
  return d.game === s.sets.length ? d.previous : d.cycle;
}

/** The player who served to `server` in the game before, or null in the first game. */
function receiverAfter(previous: string[] | null, server: string): string | null {
  if (previous === null) return null;
  const i = previous.indexOf(server);
  return i < 0 ? null : previous[(i + 3) % 4]!;
}

export const tableTennisFormat: RallyFormat = {
  defaultBestOf: () => 5,
  target: () => 11,
  cap: () => null,
  setFirstServer: (s, setIndex) => alternatingFirstServer(s, setIndex),
  server: (s) => tableTennisServer(s),
  calls(s, o) {
    if (o.setOver) {
      s.interval = { reason: 'between-games', seconds: TABLE_TENNIS_BETWEEN_GAMES_S };
      s.changeEnds = true;
    } else if (o.deciding && firstReached(o, DECIDING_GAME_CHANGE)) s.changeEnds = true;
  },
  doubles: tableTennisDoubles,
};

export const tableTennisRules = rallyRules(tableTennisFormat);

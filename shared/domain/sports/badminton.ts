/**
 * Badminton (BWF Laws). `3x21` (default): games to 21, two clear, capped at 30 (29-29:
 * next point wins), best of three. `5x11`: best of five games to 11, two clear, capped at
 * 15. The rally winner serves; the winner of a game serves first in the next. The server
 * serves from the right court on an even score (Law 10.1/11.1). Intervals (Law 16.2) and
 * change of ends (Law 8) as the contract words them.
 */
import type { Side } from '../../events.js';
import type { MatchOptions } from '../../match.js';
import { otherSide, type MatchState } from '../state.js';
import { firstReached, rallyRules, type RallyDoubles, type RallyFormat } from './rally.js';
import { partnerOf, playerProblem } from './doubles.js';

export const BADMINTON_CAP = 30;
/** 5x11 scoring: games to 11, capped at 15 (BWF experimental scoring system). */
export const BADMINTON_5X11_CAP = 15;
/** Law 16.2.1: 60 s when the leading score reaches 11; Law 16.2.2: 120 s between games. */
export const BADMINTON_MID_GAME_S = 60;
export const BADMINTON_BETWEEN_GAMES_S = 120;
/** 5x11: 60 s between games and at 6 in the fifth game; no mid-game interval in games 1-4. */
export const BADMINTON_5X11_INTERVAL_S = 60;

const is5x11 = (o: MatchOptions) => o.scoring === '5x11';

function serverCourt(s: MatchState): 'right' | 'left' | null {
  if (s.serving === null) return null;
  return s.score[s.serving] % 2 === 0 ? 'right' : 'left';
}

/**
 * BWF Law 11 (doubles): each side's players keep their service courts until their side
 * wins a rally as the serving side, then the server changes court. The server is the
 * serving side's player in the court of its score's parity; the receiver stands
 * diagonally opposite (the same-named court of the receiving side).
 */
const badmintonDoubles: RallyDoubles = {
  checkChoices(s, p, matchStart) {
    const serving = p.firstServer ?? (matchStart ? 'home' : (s.serving ?? 'home'));
    return (
      playerProblem(s, serving, p.firstServerPlayer, 'firstServerPlayer') ??
      playerProblem(s, otherSide(serving), p.firstReceiverPlayer, 'firstReceiverPlayer')
    );
  },
  beginGame(s, p) {
    const players = s.players;
    if (!players || s.serving === null) return;
    const serving = s.serving;
    const receiving = otherSide(serving);
    const right = { home: players.home[0]!, away: players.away[0]! };
    if (p.firstServerPlayer !== undefined) right[serving] = p.firstServerPlayer;
    if (p.firstReceiverPlayer !== undefined) right[receiving] = p.firstReceiverPlayer;
    s.doubles = { sport: 'badminton', right };
  },
  rally(s, winner, previousServer) {
    const d = s.doubles;
    if (d?.sport !== 'badminton' || winner !== previousServer) return;
    d.right[winner] = partnerOf(s, winner, d.right[winner]);
  },
  who(s) {
    const d = s.doubles;
    if (d?.sport !== 'badminton' || s.serving === null) return null;
    const court = serverCourt(s);
    const pick = (side: Side) => (court === 'right' ? d.right[side] : partnerOf(s, side, d.right[side]));
    return { serving: pick(s.serving), receiving: pick(otherSide(s.serving)) };
  },
};

export const badmintonFormat: RallyFormat = {
  defaultBestOf: (o) => (is5x11(o) ? 5 : 3),
  target: (o) => (is5x11(o) ? 11 : 21),
  cap: (o) => (is5x11(o) ? BADMINTON_5X11_CAP : BADMINTON_CAP),
  setFirstServer: (s, _setIndex, previousWinner) => previousWinner ?? s.firstServer,
  server: (_s, rallyWinner) => rallyWinner,
  calls(s, o) {
    const fiveByEleven = is5x11(s.options);
    if (o.setOver) {
      s.interval = {
        reason: 'between-games',
        seconds: fiveByEleven ? BADMINTON_5X11_INTERVAL_S : BADMINTON_BETWEEN_GAMES_S,
      };
      s.changeEnds = true;
      return;
    }
    if (fiveByEleven) {
      if (o.deciding && firstReached(o, 6)) {
        s.interval = { reason: 'mid-game', seconds: BADMINTON_5X11_INTERVAL_S };
        s.changeEnds = true;
      }
      return;
    }
    if (firstReached(o, 11)) {
      s.interval = { reason: 'mid-game', seconds: BADMINTON_MID_GAME_S };
      if (o.deciding) s.changeEnds = true;
    }
  },
  doubles: badmintonDoubles,
  serviceCourt: serverCourt,
};

export const badmintonRules = rallyRules(badmintonFormat);

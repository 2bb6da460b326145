/**
 * Table tennis (ITTF): games to 11, two clear, best of five (options.bestOf: 7).
 * Service changes every two points, and every point from 10-10; the player who served
 * first in a game receives first in the next.
 */
import { otherSide, type MatchState } from '../state.js';
import { alternatingFirstServer, rallyRules, type RallyFormat } from './rally.js';

/** Points played before 10-10; from there service changes after every point. */
const DEUCE_POINTS = 20;

export function tableTennisServer(s: MatchState): 'home' | 'away' {
  const played = s.score.home + s.score.away;
  const turn = played < DEUCE_POINTS ? Math.floor(played / 2) : played - DEUCE_POINTS / 2;
  return turn % 2 === 0 ? s.setFirstServer : otherSide(s.setFirstServer);
}

export const tableTennisFormat: RallyFormat = {
  defaultBestOf: () => 5,
  target: () => 11,
  cap: null,
  setFirstServer: (s, setIndex) => alternatingFirstServer(s, setIndex),
  server: (s) => tableTennisServer(s),
};

export const tableTennisRules = rallyRules(tableTennisFormat);

/**
 * Badminton (BWF): games to 21, two clear, capped at 30 (29-29: next point wins),
 * best of three. The rally winner serves; the winner of a game serves first in the next.
 */
import { rallyRules, type RallyFormat } from './rally.js';

export const BADMINTON_CAP = 30;

export const badmintonFormat: RallyFormat = {
  defaultBestOf: () => 3,
  target: () => 21,
  cap: BADMINTON_CAP,
  setFirstServer: (s, _setIndex, previousWinner) => previousWinner ?? s.firstServer,
  server: (_s, rallyWinner) => rallyWinner,
};

export const badmintonRules = rallyRules(badmintonFormat);

/**
 * Volleyball, rally scoring. Indoor (FIVB Official Volleyball Rules): sets to 25, the
 * fifth to 15, two clear, best of five (Rule 6). Beach (FIVB Beach Volleyball Rules):
 * 21, the third to 15, best of three. The rally winner serves; the first serve
 * alternates by set, and a toss decides the deciding set's (PERIOD_START {firstServer}).
 * Time-outs: indoor 2 per set (Rule 15.4.1), beach 1. Ends: indoor after each set but
 * the one before the deciding set, and at 8 in it (Rule 18.2); beach every 7 points
 * (5 in the deciding set). Intervals: indoor 3 minutes (Rule 18.1), beach 1 minute.
 */
import type { MatchOptions } from '../../match.js';
import { alternatingFirstServer, bestOf, firstReached, rallyRules, type RallyFormat } from './rally.js';

const isBeach = (o: MatchOptions) => o.variant === 'beach';
export const VOLLEYBALL_INDOOR_INTERVAL_S = 180;
export const VOLLEYBALL_BEACH_INTERVAL_S = 60;
/** FIVB 18.2.2: indoor teams change ends when the leading team reaches 8 in the deciding set. */
const INDOOR_DECIDING_CHANGE = 8;
/** Beach: change courts every 7 points played, every 5 in the deciding set. */
const BEACH_CHANGE_EVERY = 7;
const BEACH_DECIDING_CHANGE_EVERY = 5;

export const volleyballFormat: RallyFormat = {
  defaultBestOf: (o) => (isBeach(o) ? 3 : 5),
  target: (o, deciding) => (deciding ? 15 : isBeach(o) ? 21 : 25),
  cap: () => null,
  setFirstServer: (s, setIndex) => alternatingFirstServer(s, setIndex),
  server: (_s, rallyWinner) => rallyWinner,
  calls(s, o) {
    const beach = isBeach(s.options);
    if (beach) {
      const every = o.deciding ? BEACH_DECIDING_CHANGE_EVERY : BEACH_CHANGE_EVERY;
      if ((o.score.home + o.score.away) % every === 0) s.changeEnds = true;
    } else if (o.setOver) {
      if (!o.nextDeciding) s.changeEnds = true;
    } else if (o.deciding && firstReached(o, INDOOR_DECIDING_CHANGE)) s.changeEnds = true;
    if (o.setOver)
      s.interval = {
        reason: 'between-sets',
        seconds: beach ? VOLLEYBALL_BEACH_INTERVAL_S : VOLLEYBALL_INDOOR_INTERVAL_S,
      };
  },
  timeoutsPerSet: (o) => (isBeach(o) ? 1 : 2),
  // The deciding set's first server is drawn by a new toss (FIVB 12.1.2 / beach 7.1).
  tossAllowed: (s) => s.sets.length === bestOf(volleyballFormat, s.options) - 1,
};

export const volleyballRules = rallyRules(volleyballFormat);

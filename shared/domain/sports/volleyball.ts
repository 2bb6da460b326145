/**
 * Volleyball, rally scoring. Indoor: sets to 25, the fifth to 15, two clear, best of
 * five. Beach: 21, the third to 15, best of three. The rally winner serves; the first
 * serve alternates by set (a deciding-set toss is recorded as that set's alternation).
 */
import { alternatingFirstServer, rallyRules, type RallyFormat } from './rally.js';

export const volleyballFormat: RallyFormat = {
  defaultBestOf: (o) => (o.variant === 'beach' ? 3 : 5),
  target: (o, deciding) => (deciding ? 15 : o.variant === 'beach' ? 21 : 25),
  cap: null,
  setFirstServer: (s, setIndex) => alternatingFirstServer(s, setIndex),
  server: (_s, rallyWinner) => rallyWinner,
};

export const volleyballRules = rallyRules(volleyballFormat);

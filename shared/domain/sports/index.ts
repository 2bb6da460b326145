/** The rules of each sport, selected by `sport`. */
import type { Sport } from '../../events.js';
import type { SportRules } from '../types.js';
import { badmintonRules } from './badminton.js';
import { basketballRules } from './basketball.js';
import { genericRules } from './generic.js';
import { tableTennisRules } from './table-tennis.js';
import { tennisRules } from './tennis.js';
import { volleyballRules } from './volleyball.js';

export function rulesFor(sport: Sport): SportRules {
  switch (sport) {
    case 'generic':
      return genericRules;
    case 'volleyball':
      return volleyballRules;
    case 'badminton':
      return badmintonRules;
    case 'table-tennis':
      return tableTennisRules;
    case 'tennis':
      return tennisRules;
    case 'basketball':
      return basketballRules;
  }
}

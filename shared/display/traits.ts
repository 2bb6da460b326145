/**
 * What each sport shows and offers, in one table: the console's keys and buttons, the
 * scoreboards and the overlays all ask here instead of naming sports. The rules themselves
 * (shared/domain/sports) decide the score; a test holds `shape` to their `periods` flag.
 */
import type { Sport } from '../events.js';
import { BASKETBALL_QUARTERS } from '../domain/sports/basketball.js';

/** A sport played in sets or games that the score closes (volleyball, badminton, table tennis, tennis). */
export interface SetSportTraits {
  readonly shape: 'sets';
  /** What one of its `sets` is called on a scoreboard. */
  readonly setWord: 'Set' | 'Game';
  /** The big number is a point call (tennis 0/15/30/40/AD) with games inside the set. */
  readonly pointCalls: boolean;
}

/** A sport of periods run by a game clock, scored in baskets or goals worth 1-3 (basketball, generic). */
export interface PeriodSportTraits {
  readonly shape: 'periods';
  /** Period label prefix: Q1-Q4 (quarters) or P1, P2 ... */
  readonly periodPrefix: 'Q' | 'P';
  /** Regular periods; the ones after them are overtime (OT1, OT2 ...), or null when none is. */
  readonly regularPeriods: number | null;
  /** The clock shows from the start on, even at 0.0 (basketball), or only while it is set (generic). */
  readonly clockAlwaysShown: boolean;
}

export type SportTraits = SetSportTraits | PeriodSportTraits;

export const SPORT_TRAITS: { readonly [S in Sport]: SportTraits } = {
  generic: { shape: 'periods', periodPrefix: 'P', regularPeriods: null, clockAlwaysShown: false },
  basketball: { shape: 'periods', periodPrefix: 'Q', regularPeriods: BASKETBALL_QUARTERS, clockAlwaysShown: true },
  volleyball: { shape: 'sets', setWord: 'Set', pointCalls: false },
  badminton: { shape: 'sets', setWord: 'Game', pointCalls: false },
  'table-tennis': { shape: 'sets', setWord: 'Game', pointCalls: false },
  tennis: { shape: 'sets', setWord: 'Set', pointCalls: true },
};

export function traitsOf(sport: Sport): SportTraits {
  return SPORT_TRAITS[sport];
}

/** Played in sets or games (sets won show beside the score). */
export function isSetSport(sport: Sport): boolean {
  return SPORT_TRAITS[sport].shape === 'sets';
}

/** Runs a game clock and periods (clock key, Set clock, next/end period). */
export function hasClock(sport: Sport): boolean {
  return SPORT_TRAITS[sport].shape === 'periods';
}

/** Scores 1, 2 or 3 points in one update (the 2- and 3-point keys). */
export function hasMultiPoints(sport: Sport): boolean {
  return SPORT_TRAITS[sport].shape === 'periods';
}

/** The word for one of the sport's `sets`: Set, Game, or Period for the period sports. */
export function setWord(sport: Sport): 'Set' | 'Game' | 'Period' {
  const traits = SPORT_TRAITS[sport];
  return traits.shape === 'sets' ? traits.setWord : 'Period';
}

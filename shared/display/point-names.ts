/**
 * Point names: tennis calls 0/15/30/40/AD. The fold writes them into `snapshot.points`
 * (shared/domain/state.ts), so this module imports nothing: the domain depends on it, not
 * the other way round.
 */

/** Tennis: the names of 0, 1, 2 and 3 points in a game (ITF 5a). */
export const TENNIS_POINT_NAMES = ['0', '15', '30', '40'] as const;
/** Tennis: the side one point from the game after deuce. */
export const ADVANTAGE_CALL = 'AD';
const FORTY = TENNIS_POINT_NAMES[3];

/** The calls for a game's points won: 0/15/30/40/AD; plain numbers in a tie-break. */
export function tennisPointCalls(
  points: { home: number; away: number },
  tiebreak: boolean,
): { home: string; away: string } {
  const { home, away } = points;
  if (tiebreak) return { home: String(home), away: String(away) };
  if (home >= 3 && away >= 3) {
    if (home === away) return { home: FORTY, away: FORTY };
    return home > away ? { home: ADVANTAGE_CALL, away: FORTY } : { home: FORTY, away: ADVANTAGE_CALL };
  }
  return { home: TENNIS_POINT_NAMES[home] ?? FORTY, away: TENNIS_POINT_NAMES[away] ?? FORTY };
}

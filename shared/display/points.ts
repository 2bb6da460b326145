/**
 * The labels of a game's state: deuce and advantage, the tie-break (tennis), and set point
 * (game point) / match point. The point names themselves are point-names.ts.
 */
import type { Side } from '../events.js';
import type { MatchSnapshot } from '../match.js';
import { ADVANTAGE_CALL, TENNIS_POINT_NAMES } from './point-names.js';
import { SPORT_TRAITS } from './traits.js';

const FORTY = TENNIS_POINT_NAMES[3];

/** What a scoreboard says about the game being played (tennis), or null. */
export type GameLabel =
  | { kind: 'tiebreak'; text: 'Tie-break' }
  | { kind: 'deuce'; text: 'Deuce' }
  | { kind: 'deciding-point'; text: 'Deciding point' }
  | { kind: 'advantage'; side: Side; text: string };

type Labelled = Pick<MatchSnapshot, 'sport' | 'status' | 'home' | 'away' | 'points' | 'tiebreak' | 'options'>;

export function gameLabel(snapshot: Labelled): GameLabel | null {
  const traits = SPORT_TRAITS[snapshot.sport];
  if (traits.shape !== 'sets' || !traits.pointCalls || (snapshot.status !== 'live' && snapshot.status !== 'paused'))
    return null;
  if (snapshot.tiebreak) return { kind: 'tiebreak', text: 'Tie-break' };
  const calls = snapshot.points;
  if (!calls) return null;
  if (calls.home === FORTY && calls.away === FORTY)
    // No-ad (ITF Appendix V): at deuce the next point wins the game.
    return snapshot.options.noAd
      ? { kind: 'deciding-point', text: 'Deciding point' }
      : { kind: 'deuce', text: 'Deuce' };
  for (const side of ['home', 'away'] as const)
    if (calls[side] === ADVANTAGE_CALL) return { kind: 'advantage', side, text: `Advantage ${snapshot[side].name}` };
  return null;
}

/** The side whose next point wins the match, else the set (or game), as a badge; null when neither. */
export type PointLabel = { kind: 'match-point' | 'set-point'; side: Side; text: string };

export function pointLabel(
  snapshot: Pick<MatchSnapshot, 'sport' | 'home' | 'away' | 'setPoint' | 'matchPoint'>,
): PointLabel | null {
  if (snapshot.matchPoint)
    return {
      kind: 'match-point',
      side: snapshot.matchPoint,
      text: `Match point ${snapshot[snapshot.matchPoint].name}`,
    };
  const traits = SPORT_TRAITS[snapshot.sport];
  if (!snapshot.setPoint || traits.shape !== 'sets') return null;
  const side = snapshot.setPoint;
  return { kind: 'set-point', side, text: `${traits.setWord} point ${snapshot[side].name}` };
}

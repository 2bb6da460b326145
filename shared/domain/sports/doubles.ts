/** Helpers the doubles service orders share: a side's players and their partners. */
import type { Side } from '../../events.js';
import type { MatchState } from '../state.js';

/** Why `name` cannot be chosen for `side` (not one of its players), or null (also when not given). */
export function playerProblem(s: MatchState, side: Side, name: string | undefined, field: string): string | null {
  if (name === undefined) return null;
  const players = s.players?.[side];
  if (!players) return `payload.${field}: only doubles choose players`;
  if (!players.includes(name)) return `payload.${field}: ${name} is not a player of ${side} (${players.join(', ')})`;
  return null;
}

/** The other player of the pair. */
export function partnerOf(s: MatchState, side: Side, name: string): string {
  const players = s.players?.[side] ?? [];
  return players[0] === name ? (players[1] ?? name) : (players[0] ?? name);
}

export function sideOf(s: MatchState, name: string): Side | null {
  if (s.players?.home.includes(name)) return 'home';
  if (s.players?.away.includes(name)) return 'away';
  return null;
}

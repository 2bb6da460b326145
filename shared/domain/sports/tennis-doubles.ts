/**
 * Tennis doubles service and receiving order (ITF Rules 14 and 15). The pair serving
 * first in a set decides which partner serves; the other pair decides before the second
 * game; the four then serve in turn (`serverOrder`). The pair receiving first decides who
 * receives the first point (the deuce court); partners then receive alternately, all set.
 * In a tie-break the rotation goes on point by point (one point, then two each).
 */
import type { Side } from '../../events.js';
import { otherSide, type MatchState, type TennisState } from '../state.js';
import type { StartChoices } from '../types.js';
import { partnerOf, playerProblem, sideOf } from './doubles.js';
import { tiebreakTurn } from './tennis.js';

const mod4 = (n: number) => ((n % 4) + 4) % 4;

function orderProblem(s: MatchState, order: string[], serving: Side): string | null {
  if (new Set(order).size !== 4) return 'payload.serverOrder: each of the four players once';
  for (let i = 0; i < 4; i++) {
    const side = i % 2 === 0 ? serving : otherSide(serving);
    if (!s.players![side].includes(order[i]!))
      return `payload.serverOrder[${i}]: ${order[i]} is not a player of ${side}, who serve${i % 2 === 0 ? 's first' : 's second'}`;
  }
  return null;
}

export const tennisDoubles = {
  checkChoices(s: MatchState, p: StartChoices, serving: Side): string | null {
    const wrong =
      playerProblem(s, serving, p.firstServerPlayer, 'firstServerPlayer') ??
      playerProblem(s, otherSide(serving), p.firstReceiverPlayer, 'firstReceiverPlayer');
    if (wrong || p.serverOrder === undefined) return wrong;
    if (!s.players) return 'payload.serverOrder: only doubles have a serve order';
    const order = orderProblem(s, p.serverOrder, serving);
    if (order) return order;
    if (p.firstServerPlayer !== undefined && p.firstServerPlayer !== p.serverOrder[0])
      return 'payload.firstServerPlayer: serverOrder names another first server';
    return null;
  },

  /** A set begins: the rotation starts from game `base` with `serving` serving. */
  begin(s: MatchState, p: StartChoices, serving: Side, base: number): void {
    const players = s.players;
    if (!players) return;
    const receiving = otherSide(serving);
    const first = p.firstServerPlayer ?? players[serving][0]!;
    const second = players[receiving][0]!;
    const order = p.serverOrder?.slice() ?? [
      first,
      second,
      partnerOf(s, serving, first),
      partnerOf(s, receiving, second),
    ];
    const deuceReceiver = { home: players.home[0]!, away: players.away[0]! };
    if (p.firstReceiverPlayer !== undefined) deuceReceiver[receiving] = p.firstReceiverPlayer;
    s.doubles = { sport: 'tennis', order, base, deuceReceiver };
  },

  who(s: MatchState, t: TennisState): { serving: string; receiving: string } | null {
    const d = s.doubles;
    if (d?.sport !== 'tennis') return null;
    const server = d.order[mod4(t.gamesPlayed - d.base + tiebreakTurn(t))]!;
    const receivingSide = otherSide(sideOf(s, server) ?? 'home');
    const deuce = d.deuceReceiver[receivingSide];
    // Points alternate between the deuce (right) and the advantage (left) court.
    const receiver = (t.points.home + t.points.away) % 2 === 0 ? deuce : partnerOf(s, receivingSide, deuce);
    return { serving: server, receiving: receiver };
  },

  /** After an override: shift the rotation by a game when its server is on the wrong side. */
  realign(s: MatchState, serving: Side): void {
    const d = s.doubles;
    if (d?.sport !== 'tennis' || !s.tennis) return;
    const who = tennisDoubles.who(s, s.tennis);
    if (who && sideOf(s, who.serving) !== serving) d.base += 1;
  },
};

/** The contract's HTTP API as the broadcast end-to-end tests use it. */
import type { MatchSnapshot } from '../../../shared/match.js';
import { call } from '../../../test/support/api-client.js';

export { call, getMatch, login, userToken } from '../../../test/support/api-client.js';

export function createMatch(
  base: string,
  admin: string,
  body: { sport: string; court: string; home: string; away: string; scheduledAt?: string; slotMinutes?: number },
): Promise<MatchSnapshot> {
  const { home, away, ...rest } = body;
  return call<MatchSnapshot>(base, 'POST', '/api/matches', admin, {
    ...rest,
    home: { name: home },
    away: { name: away },
  });
}

export function listMatches(base: string, token: string): Promise<MatchSnapshot[]> {
  return call<MatchSnapshot[]>(base, 'GET', '/api/matches', token);
}

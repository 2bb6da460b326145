/** The contract's HTTP API as the broadcast end-to-end tests use it. */
import type { MatchSnapshot } from '../../../shared/match.js';
import { call } from '../api-client.js';

export { call, createMatch, getMatch, login, userToken } from '../api-client.js';

export function listMatches(base: string, token: string): Promise<MatchSnapshot[]> {
  return call<MatchSnapshot[]>(base, 'GET', '/api/matches', token);
}

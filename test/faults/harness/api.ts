/** The contract's HTTP API as the fault tests use it: log in, create scorers and matches. */
import type { MatchSnapshot } from '../../../shared/match.js';
import type { StoredEvent } from '../../../shared/events.js';
import { TEST_ADMIN_PASSWORD } from './server-child.js';
import { call, login } from '../../support/api-client.js';

export { getMatch, login, testPassword, userToken } from '../../support/api-client.js';

export async function adminToken(base: string): Promise<string> {
  return login(base, 'admin', TEST_ADMIN_PASSWORD);
}

/** Create a user through the API (so its password gets the server's real hash); no login. */
export async function createUser(
  base: string,
  admin: string,
  username: string,
  password: string,
  role: 'scorer' | 'viewer' | 'admin',
): Promise<void> {
  await call(base, 'POST', '/api/users', admin, { username, password, role });
}

export async function createMatch(
  base: string,
  admin: string,
  court: string,
  sport: 'generic' | 'volleyball' | 'badminton' | 'table-tennis' | 'tennis' | 'basketball' = 'generic',
): Promise<MatchSnapshot> {
  return call<MatchSnapshot>(base, 'POST', '/api/matches', admin, {
    sport,
    court,
    home: { name: `Home ${court}` },
    away: { name: `Away ${court}` },
  });
}

export async function getEvents(base: string, token: string, id: string, after = 0): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await call<{ events: StoredEvent[]; cursor: number; upToDate: boolean }>(
      base,
      'GET',
      `/api/matches/${encodeURIComponent(id)}/events?after=${cursor}`,
      token,
    );
    all.push(...page.events);
    if (page.upToDate || page.events.length === 0) return all;
    cursor = page.cursor;
  }
}

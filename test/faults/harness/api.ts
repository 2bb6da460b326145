/** The contract's HTTP API as the fault tests use it: log in, create scorers and matches. */
import type { MatchSnapshot } from '../../../shared/match.js';
import type { StoredEvent } from '../../../shared/events.js';
import { TEST_ADMIN_PASSWORD } from './server-child.js';
import { call, login } from '../../support/api-client.js';

export { login, userToken } from '../../support/api-client.js';

export async function adminToken(base: string): Promise<string> {
  return login(base, 'admin', TEST_ADMIN_PASSWORD);
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

export async function getMatch(base: string, token: string, id: string): Promise<MatchSnapshot> {
  return call<MatchSnapshot>(base, 'GET', `/api/matches/${encodeURIComponent(id)}`, token);
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

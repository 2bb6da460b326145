/** The contract's HTTP API as the fault tests use it: log in as the child server's admin, create scorers and matches. */
import type { StoredEvent } from '../../../shared/events.js';
import { CHILD_ADMIN_PASSWORD } from '../../support/server-process.js';
import { call, login } from '../../support/api-client.js';

export { createMatch, getMatch, login, testPassword, userToken } from '../../support/api-client.js';

export async function adminToken(base: string): Promise<string> {
  return login(base, 'admin', CHILD_ADMIN_PASSWORD);
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

/** The contract's HTTP API as the fault tests use it: log in, create scorers and matches. */
import type { MatchSnapshot } from '../../../shared/match.js';
import type { StoredEvent } from '../../../shared/events.js';
import { TEST_ADMIN_PASSWORD } from './server-child.js';

const HTTP_TIMEOUT_MS = 10_000;

async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function login(base: string, username: string, password: string): Promise<string> {
  return (await call<{ token: string }>(base, 'POST', '/api/auth/login', undefined, { username, password })).token;
}

export async function adminToken(base: string): Promise<string> {
  return login(base, 'admin', TEST_ADMIN_PASSWORD);
}

/** Create a user (idempotent for reruns against the same database) and return its token. */
export async function userToken(
  base: string,
  admin: string,
  username: string,
  role: 'scorer' | 'viewer' | 'admin',
): Promise<string> {
  const password = `${username}-password`;
  try {
    await call(base, 'POST', '/api/users', admin, { username, password, role });
  } catch (error) {
    if (!/409|CONFLICT/.test(String(error))) throw error;
  }
  return login(base, username, password);
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

/** The contract's HTTP API as the broadcast end-to-end tests use it. */
import type { MatchSnapshot } from '../../../shared/match.js';

const HTTP_TIMEOUT_MS = 10_000;

export async function call<T>(base: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
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

/** Create a user and return its token (409 on a rerun against the same database is fine). */
export async function userToken(
  base: string,
  admin: string,
  username: string,
  role: 'scorer' | 'viewer' | 'admin',
): Promise<string> {
  const password = `${username}-password-1`;
  try {
    await call(base, 'POST', '/api/users', admin, { username, password, role });
  } catch (error) {
    if (!/409|CONFLICT/.test(String(error))) throw error;
  }
  return login(base, username, password);
}

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

export function getMatch(base: string, token: string, id: string): Promise<MatchSnapshot> {
  return call<MatchSnapshot>(base, 'GET', `/api/matches/${encodeURIComponent(id)}`, token);
}

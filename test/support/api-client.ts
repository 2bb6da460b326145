/** The contract's HTTP API as tests use it: one JSON call with a timeout, login, users, a match. */
import type { CreateMatch, MatchSnapshot } from '../../shared/match.js';

/** Far above any healthy answer on loopback; a hung request fails the test instead of the suite. */
const HTTP_TIMEOUT_MS = 10_000;

/** A JSON request; throws with the status and body on anything but 2xx. */
export async function call<T>(
  base: string,
  method: string,
  route: string,
  token?: string,
  body?: unknown,
  timeoutMs = HTTP_TIMEOUT_MS,
): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} -> ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** `timeoutMs`: a bench's login burst may queue longer than a test's single login. */
export async function login(base: string, username: string, password: string, timeoutMs?: number): Promise<string> {
  return (await call<{ token: string }>(base, 'POST', '/api/auth/login', undefined, { username, password }, timeoutMs))
    .token;
}

/** The password userToken gives a user, for tests that log in again by name. */
export function testPassword(username: string): string {
  return `${username}-password-1`;
}

/** Create a user (a rerun against the same database finds it: 409 is fine) and return its token. */
export async function userToken(
  base: string,
  admin: string,
  username: string,
  role: 'scorer' | 'viewer' | 'admin',
): Promise<string> {
  const password = testPassword(username);
  try {
    await call(base, 'POST', '/api/users', admin, { username, password, role });
  } catch (error) {
    if (!/409|CONFLICT/.test(String(error))) throw error;
  }
  return login(base, username, password);
}

export function getMatch(base: string, token: string, id: string): Promise<MatchSnapshot> {
  return call<MatchSnapshot>(base, 'GET', `/api/matches/${encodeURIComponent(id)}`, token);
}

/** A match as a test describes it: what it leaves out gets a default; a team may be given by its name alone. */
export type MatchInput = Omit<Partial<CreateMatch>, 'home' | 'away'> & {
  home?: string | CreateMatch['home'];
  away?: string | CreateMatch['away'];
};

const team = (t: string | CreateMatch['home']) => (typeof t === 'string' ? { name: t } : t);

/** POST /api/matches as `admin`: by default a generic match on court C1, Home v Away. The one createMatch of the tests. */
export function createMatch(base: string, admin: string, input: MatchInput = {}): Promise<MatchSnapshot> {
  const { home = 'Home', away = 'Away', ...rest } = input;
  return call<MatchSnapshot>(base, 'POST', '/api/matches', admin, {
    sport: 'generic',
    court: 'C1',
    ...rest,
    home: team(home),
    away: team(away),
  });
}

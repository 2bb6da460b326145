/**
 * Issue 12: the login throttle applies to the route however it is spelled. Express routes
 * `/api/auth/login/`, `/API/AUTH/LOGIN` and mixed case to the login handler, and the
 * throttle used to compare the path literally: 200 wrong passwords through those
 * spellings, then the right one worked while the normal path was throttled. Against the
 * real server and PostgreSQL, with an honest court pushing throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { HonestCourt } from './honest-court.js';

const LOGIN_FAILURES = 3;
const SPELLINGS = ['/api/auth/login', '/api/auth/login/', '/API/AUTH/LOGIN', '/Api/Auth/Login/', '/API/auth/LOGIN/'];

let server: TestServer;
let honest: HonestCourt;

beforeAll(async () => {
  server = await startTestServer({ config: { security: { loginFailuresPerWindow: LOGIN_FAILURES } } });
  honest = await HonestCourt.onCourt(server);
});
afterAll(async () => {
  honest?.close();
  await server?.stop();
});

async function login(path: string, username: string, password: string) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

describe('login throttle', () => {
  it('every spelling of the login path reaches the handler (so each must be throttled)', async () => {
    await server.userToken('scorer', [], 'spelled');
    for (const path of SPELLINGS) expect((await login(path, 'spelled', 'password-123')).status).toBe(200);
  });

  it('counts guesses through any spelling in one window; past it every spelling is refused, the right password too', async () => {
    await server.userToken('scorer', [], 'victim');
    honest.start();
    for (let i = 0; i < LOGIN_FAILURES; i++)
      expect((await login(SPELLINGS[(i + 1) % SPELLINGS.length]!, 'victim', `guess-${i}`)).status).toBe(401);
    for (const path of SPELLINGS) {
      const locked = await login(path, 'victim', 'password-123');
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    // 200 more guesses through the odd spellings change nothing.
    const flood = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login(SPELLINGS[1 + (i % 4)]!, 'victim', `guess-${i}`)),
    );
    expect(new Set(flood.map((r) => r.status))).toEqual(new Set([429]));
    await honest.stop(10);
    await honest.expectServed();
  });
});

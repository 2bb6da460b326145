/**
 * Issue 12, "no input crashes the process": the real server process (`node server/main.ts`)
 * with the Socket.io admin UI on. A handshake to /admin with `auth: {username}` and no
 * password, or a password that is a number, an object or null, used to make the admin
 * UI's bcrypt call reject unhandled and kill the process. Now the auth's shape is checked
 * before the library sees it (the answer is the library's own "invalid credentials"),
 * the login throttle counts these guesses too, and an honest console on another court
 * keeps its acks under a second throughout, its events stored once.
 */
import bcrypt from 'bcryptjs';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../support/server-process.js';
import { HonestCourt } from './honest-court.js';
import { httpJson } from './support.js';

const ADMIN_UI_USER = 'admin';
const ADMIN_UI_PASSWORD = 'ops-password-1';
/** The login throttle of this server (per username + address, per 15 min). */
const LOGIN_FAILURES = 5;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: ServerProcess;
let honest: HonestCourt;

/** A JSON request to the server under test. */
const http = (method: string, path: string, body?: unknown, token?: string) =>
  httpJson(server.url, method, path, body, token);

/** A handshake the server never answers (the library's middleware died mid-way) is a failure too. */
const HANDSHAKE_TIMEOUT_MS = 5_000;

/** One handshake to the admin UI: resolves with the connect_error message, 'connected' or 'no answer'. */
function adminHandshake(auth: Record<string, unknown>): Promise<string> {
  const s = connect(`${server.url}/admin`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: HANDSHAKE_TIMEOUT_MS,
    auth,
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('no answer'), HANDSHAKE_TIMEOUT_MS);
    const finish = (outcome: string) => {
      clearTimeout(timer);
      s.close();
      resolve(outcome);
    };
    s.once('connect', () => finish('connected'));
    s.once('connect_error', (error) => finish(error.message));
  });
}

beforeAll(async () => {
  db = await createTestDatabase('seccrash');
  server = await spawnServer({
    databaseUrl: db.url,
    env: {
      SCOREDESK_ADMIN_UI_USER: ADMIN_UI_USER,
      SCOREDESK_ADMIN_UI_PASSWORD_HASH: bcrypt.hashSync(ADMIN_UI_PASSWORD, 4),
      SCOREDESK_LOGIN_FAILURES: String(LOGIN_FAILURES),
    },
  });
  const admin = (await http('POST', '/api/auth/login', { username: 'admin', password: CHILD_ADMIN_PASSWORD })).body
    .token as string;
  await http(
    'POST',
    '/api/users',
    { username: 'court2', password: 'password-123', role: 'scorer', courts: ['2'] },
    admin,
  );
  const scorer = (await http('POST', '/api/auth/login', { username: 'court2', password: 'password-123' })).body
    .token as string;
  const match = await http(
    'POST',
    '/api/matches',
    { sport: 'generic', court: '2', home: { name: 'H' }, away: { name: 'A' } },
    admin,
  );
  honest = await HonestCourt.connect({ url: server.url, token: scorer, matchId: match.body.id, databaseUrl: db.url });
});

afterAll(async () => {
  honest?.close();
  await server?.stop();
  await db?.drop();
});

describe('admin UI handshakes with a malformed auth', () => {
  it('are refused before bcrypt runs; the process keeps serving; an honest court keeps its acks under 1 s', async () => {
    honest.start();
    const attacks: Record<string, unknown>[] = [
      { username: ADMIN_UI_USER },
      { username: ADMIN_UI_USER, password: 12345 },
      { username: ADMIN_UI_USER, password: { $gt: '' } },
      { username: ADMIN_UI_USER, password: null },
      { username: ADMIN_UI_USER, password: ['a'] },
      { username: 7, password: 'x' },
      { sessionId: { toString: 1 } },
    ];
    for (const auth of attacks) expect(await adminHandshake(auth)).toBe('invalid credentials');
    // Several at once, repeated: not one of them reaches bcrypt.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => adminHandshake({ username: 'ADMIN' + Math.random() })),
    );
    expect(new Set(burst)).toEqual(new Set(['invalid credentials']));
    await honest.stop(10);
    expect(server.logs.join('\n')).not.toMatch(/Illegal arguments|unhandled rejection/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The right credentials still work.
    expect(await adminHandshake({ username: ADMIN_UI_USER, password: ADMIN_UI_PASSWORD })).toBe('connected');
    await honest.expectServed();
  });

  it('count against the login throttle like any guess (a number as password too)', async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++)
      expect(await adminHandshake({ username: 'guessed', password: i })).toBe('invalid credentials');
    expect(await adminHandshake({ username: 'guessed', password: 'a real guess' })).toBe('RATE_LIMITED');
  });
});

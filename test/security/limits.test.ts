/**
 * Limits and HTTP hygiene on a real server: the per-user connection cap (counted on live
 * sockets, so reconnects never lock anyone out), login throttling per username+address,
 * the origin allowlist for Socket.io (cross-site WebSocket hijacking) and CORS, helmet
 * headers, and the admin UI behind basic auth, read-only by default.
 */
import bcrypt from 'bcryptjs';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { connectSocket, request, startTestServer, type TestServer } from '../support/server.js';
import { until } from './support.js';

const CAP = 10;
const LOGIN_FAILURES = 3;
const ALLOWED = 'https://graphics.example.com';

let server: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({
    config: {
      security: { maxConnectionsPerUser: CAP, loginFailuresPerWindow: LOGIN_FAILURES, allowedOrigins: [ALLOWED] },
      adminUi: { username: 'ops', passwordHash: bcrypt.hashSync('ops-password-1', 4), readonly: true },
    },
  });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

async function open(nsp: '/console' | '/live', token: string): Promise<Socket> {
  const s = await connectSocket(server.url, nsp, token);
  sockets.push(s);
  return s;
}

/** Connects with a browser-like Origin header; resolves true when admitted. */
function connectsWithOrigin(
  origin: string | undefined,
  token: string,
  transport: 'websocket' | 'polling' = 'websocket',
): Promise<boolean> {
  const s = connect(`${server.url}/live`, {
    transports: [transport],
    reconnection: false,
    forceNew: true,
    auth: { token, protocol: 1 },
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  return new Promise((resolve) => {
    s.once('connect', () => {
      s.close();
      resolve(true);
    });
    s.once('connect_error', () => {
      s.close();
      resolve(false);
    });
  });
}

describe('connection cap per user', () => {
  it(`admits ${CAP} live connections across namespaces, refuses the next with RATE_LIMITED, and counts a disconnect at once`, async () => {
    const token = await server.userToken('scorer');
    const open5 = await Promise.all(Array.from({ length: CAP / 2 }, () => open('/console', token)));
    await Promise.all(Array.from({ length: CAP / 2 }, () => open('/live', token)));
    await expect(open('/live', token)).rejects.toThrow('RATE_LIMITED');
    await expect(open('/console', token)).rejects.toThrow('RATE_LIMITED');
    // Another user is not affected.
    await open('/live', await server.userToken('viewer'));
    open5[0]!.close();
    await until(
      async () =>
        (
          await server.io
            .of('/console')
            .in(`user:${JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub}`)
            .fetchSockets()
        ).length ===
        CAP / 2 - 1,
      'disconnect seen',
    );
    await open('/console', token);
    await expect(open('/console', token)).rejects.toThrow('RATE_LIMITED');
  });

  it('never locks a user out after many reconnects (the guide counter never decremented)', async () => {
    const token = await server.userToken('viewer');
    for (let i = 0; i < 3 * CAP; i++) {
      const s = await connectSocket(server.url, '/live', token);
      const gone = new Promise((r) => s.once('disconnect', r));
      s.disconnect();
      await gone;
    }
    // Simultaneous connects cannot all slip under the cap either.
    const burst = await Promise.allSettled(Array.from({ length: CAP + 5 }, () => open('/live', token)));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(CAP);
    expect(
      burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message),
    ).toEqual(Array(5).fill('RATE_LIMITED'));
  });
});

describe('events that fan out', () => {
  it('allows 5 presence reports a second per socket (each reaches every court wall); more are RATE_LIMITED, not fatal', async () => {
    const desk = await open('/console', await server.userToken('scorer'));
    const report = { court: 'A', matchId: null, pending: 0, lastConfirmedAt: null, state: 'live' };
    const acks = await Promise.all(Array.from({ length: 12 }, () => request(desk, 'presence:report', report)));
    // In send order: the window's first 5 pass, and a burst of 12 cannot fit (5 a second
    // would need it spread over 3 s). How many more pass depends on where the window ends
    // on a busy machine, so the count is not asserted; every refusal is RATE_LIMITED.
    expect(acks.slice(0, 5)).toEqual(Array(5).fill({ ok: true }));
    const refused = acks.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((a) => a.code))).toEqual(new Set(['RATE_LIMITED']));
    // A later window accepts again (refusals until then count far below a disconnect).
    await vi.waitFor(async () => expect(await request(desk, 'presence:report', report)).toEqual({ ok: true }), {
      timeout: 5_000,
      interval: 250,
    });
    expect(desk.connected).toBe(true);
  });
});

describe('login throttling per username + address', () => {
  const login = (username: string, password: string) => server.http('POST', '/api/auth/login', { username, password });

  it(`refuses with 429 RATE_LIMITED after ${LOGIN_FAILURES} attempts, even with the right password; other usernames unaffected`, async () => {
    await server.userToken('scorer', [], 'victim');
    for (let i = 0; i < LOGIN_FAILURES; i++) expect((await login('victim', 'wrong-password')).status).toBe(401);
    const locked = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'victim', password: 'password-123' }),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Case does not open a second window for the same name.
    expect((await login('VICTIM', 'wrong-password')).status).toBe(429);
    expect((await login('someone-else', 'wrong-password')).status).toBe(401);
  });

  it('a successful login clears the count', async () => {
    await server.userToken('scorer', [], 'typo-prone');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LOGIN_FAILURES - 1; i++)
        expect((await login('typo-prone', 'wrong-password')).status).toBe(401);
      expect((await login('typo-prone', 'password-123')).status).toBe(200);
    }
  });
});

describe('origins (cross-site WebSocket hijacking) and CORS', () => {
  it('admits no Origin (not a browser), same-origin and allowlisted pages; refuses others', async () => {
    const token = await server.userToken('viewer');
    expect(await connectsWithOrigin(undefined, token)).toBe(true);
    expect(await connectsWithOrigin(server.url, token)).toBe(true);
    expect(await connectsWithOrigin(ALLOWED, token)).toBe(true);
    expect(await connectsWithOrigin('https://admin.socket.io', token)).toBe(true); // admin UI is on here
    for (const origin of [
      'https://evil.example',
      'null',
      `${ALLOWED}.evil.example`,
      'http://graphics.example.com',
      'file://',
    ]) {
      expect(await connectsWithOrigin(origin, token), origin).toBe(false);
      expect(await connectsWithOrigin(origin, token, 'polling'), `${origin} (polling)`).toBe(false);
    }
  });

  it('answers CORS only for allowlisted origins, without credentials', async () => {
    const pre = await fetch(`${server.url}/api/matches`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await fetch(`${server.url}/api/matches`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${server.url}/api/matches`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${server.adminToken}` },
    });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends helmet headers', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('admin UI', () => {
  function admin(auth: Record<string, string>): Promise<{ ok: boolean; error?: string; features?: string[] }> {
    const s = connect(`${server.url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
    return new Promise((resolve) => {
      s.once('config', (config: { supportedFeatures: string[] }) => {
        s.close();
        resolve({ ok: true, features: config.supportedFeatures });
      });
      s.once('connect_error', (error) => {
        s.close();
        resolve({ ok: false, error: error.message });
      });
    });
  }

  it('refuses no or wrong credentials; admits the right ones read-only (no control features)', async () => {
    expect(await admin({})).toEqual({ ok: false, error: 'invalid credentials' });
    expect(await admin({ username: 'ops', password: 'guess' })).toEqual({ ok: false, error: 'invalid credentials' });
    expect(await admin({ username: 'admin', password: 'ops-password-1' })).toEqual({
      ok: false,
      error: 'invalid credentials',
    });
    // Only the aggregated counters: no emit/join/leave/disconnect (read-only), no raw event stream (production mode).
    expect(await admin({ username: 'ops', password: 'ops-password-1' })).toEqual({
      ok: true,
      features: ['AGGREGATED_EVENTS'],
    });
  });

  it(`throttles password guessing (${LOGIN_FAILURES} attempts per username and address), before bcrypt runs`, async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++)
      expect(await admin({ username: 'root', password: `guess-${i}` })).toEqual({
        ok: false,
        error: 'invalid credentials',
      });
    expect(await admin({ username: 'root', password: 'another-guess' })).toEqual({ ok: false, error: 'RATE_LIMITED' });
    expect(await admin({ username: 'ops', password: 'ops-password-1' })).toMatchObject({ ok: true });
  });

  it('is off unless configured, needs a bcrypt hash, and is read-only unless switched off', () => {
    expect(loadConfig({}).adminUi).toBeUndefined();
    expect(() => loadConfig({ SCOREDESK_ADMIN_UI_USER: 'ops' })).toThrow(/SCOREDESK_ADMIN_UI_PASSWORD_HASH/);
    expect(() =>
      loadConfig({ SCOREDESK_ADMIN_UI_USER: 'ops', SCOREDESK_ADMIN_UI_PASSWORD_HASH: 'plain-text' }),
    ).toThrow(/bcrypt/);
    const hash = bcrypt.hashSync('x', 4);
    expect(
      loadConfig({ SCOREDESK_ADMIN_UI_USER: 'ops', SCOREDESK_ADMIN_UI_PASSWORD_HASH: hash }).adminUi?.readonly,
    ).toBe(true);
    expect(
      loadConfig({
        SCOREDESK_ADMIN_UI_USER: 'ops',
        SCOREDESK_ADMIN_UI_PASSWORD_HASH: hash,
        SCOREDESK_ADMIN_UI_READONLY: '0',
      }).adminUi?.readonly,
    ).toBe(false);
  });
});

/**
 * Who may do what, on every path: each HTTP endpoint of the contract against no token and
 * each role; the namespaces' role checks at connect; a scorer's court restriction on
 * push, claim, and on creating a match through a push; `?token=` only for viewer tokens.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, request, startEvent, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let tokens: Record<'none' | 'viewer' | 'scorer' | 'admin', string | undefined>;
let matchId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  tokens = {
    none: undefined,
    viewer: await server.userToken('viewer'),
    scorer: await server.userToken('scorer', ['A']),
    admin: server.adminToken,
  };
  matchId = (await server.createMatch({ court: 'A' })).id;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

type Who = keyof typeof tokens;
const ANY: Who[] = ['viewer', 'scorer', 'admin'];

describe('HTTP endpoints', () => {
  const endpoints: { method: string; path: () => string; body?: () => unknown; allowed: Who[] }[] = [
    {
      method: 'POST',
      path: () => '/api/users',
      body: () => ({ username: `u${randomUUID().slice(0, 8)}`, password: 'password-123', role: 'viewer' }),
      allowed: ['admin'],
    },
    {
      method: 'POST',
      path: () => '/api/matches',
      body: () => ({ sport: 'generic', court: 'A', home: { name: 'H' }, away: { name: 'A' } }),
      allowed: ['admin'],
    },
    {
      method: 'POST',
      path: () => `/api/matches/${matchId}/handover`,
      body: () => ({ consoleId: randomUUID() }),
      allowed: ['admin'],
    },
    { method: 'GET', path: () => '/api/presence', allowed: ['admin'] },
    { method: 'GET', path: () => '/api/director/settings', allowed: ['admin'] },
    { method: 'GET', path: () => '/api/matches', allowed: ANY },
    { method: 'GET', path: () => `/api/matches/${matchId}`, allowed: ANY },
    { method: 'GET', path: () => `/api/matches/${matchId}/events?after=0`, allowed: ANY },
    { method: 'GET', path: () => '/api/feeds/vmix', allowed: ANY },
    { method: 'GET', path: () => '/api/feeds/vmix.csv', allowed: ANY },
    { method: 'GET', path: () => '/api/courts', allowed: ANY },
  ];
  for (const e of endpoints) {
    it(`${e.method} ${e.path().replace(/[0-9a-f-]{20,}/, ':id')}: ${e.allowed.join(', ')} only`, async () => {
      for (const who of ['none', ...ANY] as Who[]) {
        const res = await server.http(e.method, e.path(), e.body?.(), tokens[who]);
        if (e.allowed.includes(who)) expect(res.status, who).toBeLessThan(300);
        else {
          expect(res.status, who).toBe(who === 'none' ? 401 : 403);
          // The CSV feed answers its errors as CSV (code,message), the others as JSON.
          const code = typeof res.body === 'string' ? res.body.split('\r\n')[1]?.split(',')[0] : res.body.error.code;
          expect(code, who).toBe(who === 'none' ? 'UNAUTHORIZED' : 'FORBIDDEN');
        }
      }
    });
  }

  it('accepts ?token= only from viewer tokens (a URL leaks; it may only ever read)', async () => {
    for (const path of ['/api/feeds/vmix', '/api/courts', '/overlays/scorebug?court=A']) {
      const join = path.includes('?') ? '&' : '?';
      expect((await fetch(`${server.url}${path}${join}token=${tokens.viewer}`)).status, `${path} viewer`).toBe(200);
      for (const who of ['scorer', 'admin'] as const) {
        const res = await fetch(`${server.url}${path}${join}token=${tokens[who]}`);
        expect(res.status, `${path} ${who}`).toBe(403);
        expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
          code: 'FORBIDDEN',
          message: expect.stringMatching(/^token: only viewer tokens/),
        });
      }
    }
    // The same admin token in the Authorization header is fine.
    expect((await server.http('GET', '/api/feeds/vmix', undefined, tokens.admin)).status).toBe(200);
  });
});

describe('Socket.io namespaces', () => {
  it('/console admits scorer and admin; refuses viewer (FORBIDDEN) and no token (UNAUTHORIZED); /live admits every role', async () => {
    for (const who of ['scorer', 'admin'] as const)
      sockets.push(await connectSocket(server.url, '/console', tokens[who]));
    await expect(connectSocket(server.url, '/console', tokens.viewer)).rejects.toThrow('FORBIDDEN');
    await expect(connectSocket(server.url, '/console', undefined)).rejects.toThrow('UNAUTHORIZED');
    for (const who of ANY) sockets.push(await connectSocket(server.url, '/live', tokens[who]));
    await expect(connectSocket(server.url, '/live', undefined)).rejects.toThrow('UNAUTHORIZED');
  });

  it('a scorer of court A cannot create a match on court B through a push, nor claim one there; an admin can write anywhere', async () => {
    const scorer = await connectSocket(server.url, '/console', tokens.scorer);
    sockets.push(scorer);
    const id = `offline-${randomUUID().slice(0, 8)}`;
    const create = { id, sport: 'generic', court: 'B', home: { name: 'H' }, away: { name: 'A' } };
    const refused = await request(scorer, 'events:push', { matchId: id, epoch: 0, events: [startEvent(1)], create });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await server.http('GET', `/api/matches/${id}`, undefined, tokens.admin)).status).toBe(404);
    const onB = await server.createMatch({ court: 'B' });
    expect(await request(scorer, 'match:claim', { matchId: onB.id, expectedEpoch: 0 })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const admin = await connectSocket(server.url, '/console', tokens.admin);
    sockets.push(admin);
    expect(await request(admin, 'events:push', { matchId: onB.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
      ackedSeq: 1,
    });
  });
});

/** The JSON API over real HTTP and PostgreSQL: login, users, matches, events paging, handover, presence, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('auth', () => {
  it('logs in with the bootstrapped admin and refuses bad credentials', async () => {
    expect((await server.http('POST', '/api/auth/login', { username: 'admin', password: 'wrong' })).status).toBe(401);
    expect((await server.http('POST', '/api/auth/login', { username: 'ghost', password: 'x' })).body).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'wrong username or password' },
    });
    const missing = await server.http('POST', '/api/auth/login', { username: 'admin' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION' });
    expect(missing.body.error.message).toContain('password');
    const notJson = await server.http('POST', '/api/auth/login', '{oops');
    expect(notJson.status).toBe(400);
  });

  it('creates users (admin only) and their tokens carry role and courts', async () => {
    const body = { username: 'scorer-a', password: 'password-123', role: 'scorer', courts: ['A'] };
    expect((await server.http('POST', '/api/users', body)).status).toBe(401);
    const created = await server.http('POST', '/api/users', body, server.adminToken);
    expect(created).toEqual({ status: 201, body: { username: 'scorer-a', role: 'scorer', courts: ['A'] } });
    expect((await server.http('POST', '/api/users', body, server.adminToken)).body.error.code).toBe('CONFLICT');
    const scorer = await server.login('scorer-a', 'password-123');
    expect((await server.http('POST', '/api/users', { ...body, username: 'x1' }, scorer)).status).toBe(403);
    const badRole = await server.http(
      'POST',
      '/api/users',
      { ...body, username: 'x2', role: 'root' },
      server.adminToken,
    );
    expect(badRole.body.error.code).toBe('VALIDATION');
    expect(badRole.body.error.message).toContain('role');
  });
});

describe('matches', () => {
  it('creates, lists and reads matches; validation names the field', async () => {
    const viewer = await server.userToken('viewer');
    const created = await server.http(
      'POST',
      '/api/matches',
      {
        sport: 'volleyball',
        court: 'Centre',
        home: { name: '<b>Home</b>' },
        away: { name: 'Away' },
        scheduledAt: '2026-11-28T12:00:00Z',
      },
      server.adminToken,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sport: 'volleyball',
      court: 'Centre',
      status: 'scheduled',
      home: { name: '<b>Home</b>', score: 0 },
      cursor: 0,
    });
    expect(
      (
        await server.http(
          'POST',
          '/api/matches',
          { sport: 'generic', court: 'X', home: { name: 'a' }, away: { name: 'b' } },
          viewer,
        )
      ).status,
    ).toBe(403);
    const list = await server.http('GET', '/api/matches', undefined, viewer);
    expect(list.body.map((m: any) => m.id)).toContain(created.body.id);
    expect((await server.http('GET', `/api/matches/${created.body.id}`, undefined, viewer)).body.id).toBe(
      created.body.id,
    );
    expect((await server.http('GET', '/api/matches/nope', undefined, viewer)).status).toBe(404);
    expect((await server.http('GET', '/api/matches')).status).toBe(401);
    const bad = await server.http(
      'POST',
      '/api/matches',
      { sport: 'curling', court: 'X', home: { name: 'a' }, away: { name: 'b' } },
      server.adminToken,
    );
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION' });
    expect(bad.body.error.message).toMatch(/^sport/);
    const extra = await server.http(
      'POST',
      '/api/matches',
      { sport: 'generic', court: 'X', home: { name: 'a' }, away: { name: 'b' }, colour: 1 },
      server.adminToken,
    );
    expect(extra.body.error.message).toContain("'colour'");
    const dupe = await server.http(
      'POST',
      '/api/matches',
      { id: created.body.id, sport: 'generic', court: 'X', home: { name: 'a' }, away: { name: 'b' } },
      server.adminToken,
    );
    expect(dupe.body.error.code).toBe('CONFLICT');
  });

  it('pages events with after and limit', async () => {
    const match = await server.createMatch();
    const page = await server.http(
      'GET',
      `/api/matches/${match.id}/events?after=0&limit=10`,
      undefined,
      server.adminToken,
    );
    expect(page.body).toEqual({ events: [], cursor: 0, upToDate: true });
    const bad = await server.http('GET', `/api/matches/${match.id}/events?limit=0`, undefined, server.adminToken);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION' });
    expect(bad.body.error.message).toContain('limit');
  });

  it('handover bumps the epoch; presence lists consoles (admin only)', async () => {
    const match = await server.createMatch();
    const h = await server.http('POST', `/api/matches/${match.id}/handover`, {}, server.adminToken);
    expect(h.body).toMatchObject({ epoch: 1, consoleId: null });
    expect((await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body.epoch).toBe(1);
    expect((await server.http('POST', `/api/matches/nope/handover`, {}, server.adminToken)).status).toBe(404);
    expect(
      (await server.http('POST', `/api/matches/${match.id}/handover`, { consoleId: 'not-a-uuid' }, server.adminToken))
        .body.error.code,
    ).toBe('VALIDATION');
    expect((await server.http('GET', '/api/presence', undefined, server.adminToken)).status).toBe(200);
    expect((await server.http('GET', '/api/presence', undefined, await server.userToken('viewer'))).status).toBe(403);
  });
});

describe('operations', () => {
  it('serves metrics and security headers', async () => {
    const res = await fetch(server.url + '/metrics');
    const text = await res.text();
    expect(text).toContain('scoredesk_socket_connections');
    expect(text).toContain('scoredesk_flush_seconds');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

/**
 * Graphics viewer tokens (POST /api/viewer-tokens) and PRESENCE privacy on /live, against
 * the real server in-process on a fresh PostgreSQL database, over real HTTP and Socket.io.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VIEWER_TOKEN_DEFAULT_TTL_HOURS, VIEWER_TOKEN_MAX_TTL_HOURS } from '../../shared/api.js';
import { TokenService } from '../auth/tokens.js';
import {
  connectSocket,
  recordUpdates,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { until } from '../../test/support/wait.js';

const HOUR_MS = 3_600_000;

let server: TestServer;
let viewerUser: string;
let scorerUser: string;
const sockets: Socket[] = [];

async function mint(body: unknown, token = server.adminToken) {
  return server.http('POST', '/api/viewer-tokens', body, token);
}

async function live(token: string): Promise<Socket> {
  const socket = await connectSocket(server.url, '/live', token);
  sockets.push(socket);
  return socket;
}

function kidOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 12);
}

beforeAll(async () => {
  server = await startTestServer();
  viewerUser = await server.userToken('viewer');
  scorerUser = await server.userToken('scorer');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

describe('POST /api/viewer-tokens', () => {
  it('needs an admin: no token 401, viewer and scorer 403 FORBIDDEN', async () => {
    const none = await server.http('POST', '/api/viewer-tokens', { label: 'vMix' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    for (const token of [viewerUser, scorerUser]) {
      const res = await mint({ label: 'vMix' }, token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.token).toBeUndefined();
    }
  });

  it('mints a viewer token valid for the default week, with overlay URLs that carry it', async () => {
    const before = Date.now();
    const res = await mint({ label: 'vMix truck 2', court: 'C 1' });
    expect(res.status).toBe(201);
    const { token, expiresAt, overlayUrls, role, subject } = res.body;
    expect(role).toBe('viewer');
    expect(subject).toBe('viewer:vMix truck 2');
    const expiry = Date.parse(expiresAt);
    expect(expiry).toBeGreaterThanOrEqual(before + VIEWER_TOKEN_DEFAULT_TTL_HOURS * HOUR_MS - 2_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + VIEWER_TOKEN_DEFAULT_TTL_HOURS * HOUR_MS + 1_000);
    expect(overlayUrls).toEqual({
      scorebug: `${server.url}/overlays/scorebug?token=${token}&court=C%201`,
      courts: `${server.url}/overlays/courts?token=${token}`,
      vmix: `${server.url}/api/feeds/vmix?token=${token}`,
      vmixXml: `${server.url}/api/feeds/vmix.xml?token=${token}`,
      vmixCsv: `${server.url}/api/feeds/vmix.csv?token=${token}`,
      stream: `${server.url}/api/stream?token=${token}`,
    });
    // The token's own expiry claim is what the server enforces.
    const claims = JSON.parse(Buffer.from(String(token).split('.')[1]!, 'base64url').toString());
    expect(claims.exp * 1000).toBe(expiry);
    expect(claims.role).toBe('viewer');
  });

  it('honours ttlHours up to the cap; without a court the scorebug URL ends in court=', async () => {
    const res = await mint({ label: 'OBS', ttlHours: VIEWER_TOKEN_MAX_TTL_HOURS });
    expect(res.status).toBe(201);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + (VIEWER_TOKEN_MAX_TTL_HOURS - 1) * HOUR_MS);
    expect(res.body.overlayUrls.scorebug).toMatch(/&court=$/);
  });

  it('refuses bad input with VALIDATION naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^label: /],
      [{ label: '' }, /^label: /],
      [{ label: '<script>' }, /^label: /],
      [{ label: 'x'.repeat(65) }, /^label: /],
      [{ label: 'ok', ttlHours: VIEWER_TOKEN_MAX_TTL_HOURS + 1 }, /^ttlHours: /],
      [{ label: 'ok', ttlHours: 0 }, /^ttlHours: /],
      [{ label: 'ok', ttlHours: 1.5 }, /^ttlHours: /],
      [{ label: 'ok', ttlHours: '24' }, /^ttlHours: /],
      [{ label: 'ok', court: '' }, /^court: /],
      [{ label: 'ok', role: 'admin' }, /unknown field 'role'/],
    ];
    for (const [body, message] of cases) {
      const res = await mint(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION');
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
  });
});

describe('a minted graphics token', () => {
  let token: string;
  let urls: Record<string, string>;

  beforeAll(async () => {
    await server.createMatch({ court: 'G1', home: { name: 'Gulls' }, away: { name: 'Owls' } });
    const res = await mint({ label: 'graphics partner', court: 'G1' });
    token = res.body.token;
    urls = res.body.overlayUrls;
  });

  it('reads the vMix feed, the overlays and the stream by ?token=', async () => {
    const feed = await fetch(urls.vmix!);
    expect(feed.status).toBe(200);
    const rows = (await feed.json()) as { court: string; home: string }[];
    expect(rows.find((r) => r.court === 'G1')?.home).toBe('Gulls');

    for (const url of [urls.scorebug!, urls.courts!]) {
      const page = await fetch(url);
      expect(page.status, url).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    }
    const stream = await fetch(urls.stream!, { signal: AbortSignal.timeout(10_000) });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    await stream.body?.cancel();
  });

  it('follows /live', async () => {
    const socket = await live(token);
    const ack = await request(socket, 'SUBSCRIBE_COURTS', { courts: ['G1'] });
    expect(ack.ok).toBe(true);
    expect(ack.snapshots.map((s: { court: string }) => s.court)).toEqual(['G1']);
    // The session is recorded without a users row to point at.
    const pool = new pg.Pool({ connectionString: server.databaseUrl, max: 1 });
    try {
      await vi.waitFor(
        async () => {
          const { rows } = await pool.query(`SELECT user_id, role FROM websocket_sessions WHERE username = $1`, [
            'viewer:graphics partner',
          ]);
          expect(rows).toEqual([{ user_id: null, role: 'viewer' }]);
        },
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await pool.end();
    }
  });

  it('is refused on /console at connect with FORBIDDEN', async () => {
    await expect(connectSocket(server.url, '/console', token)).rejects.toThrow('FORBIDDEN');
  });

  it('is refused by every admin endpoint with 403', async () => {
    const calls: [string, string, unknown][] = [
      ['POST', '/api/users', { username: 'sneaky', password: 'password-123', role: 'admin' }],
      ['POST', '/api/matches', { sport: 'generic', court: 'X', home: { name: 'a' }, away: { name: 'b' } }],
      ['POST', '/api/viewer-tokens', { label: 'again' }],
      ['GET', '/api/presence', undefined],
      ['GET', '/api/director/settings', undefined],
    ];
    for (const [method, path, body] of calls) {
      const res = await server.http(method, path, body, token);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const users = await server.http('POST', '/api/auth/login', { username: 'sneaky', password: 'password-123' });
    expect(users.status).toBe(401);
  });

  it('dies with its signing key (revocation by key rotation), and cannot be re-minted with another role', async () => {
    const current = new TokenService(server.jwtSecret, 60);
    expect((await current.verify(token))?.user).toMatchObject({ role: 'viewer', subject: 'viewer:graphics partner' });
    const rotated = new TokenService('a-completely-different-secret-123', 60);
    expect(await rotated.verify(token)).toBeNull();
    rotated.addKey(server.jwtSecret);
    expect(await rotated.verify(token)).not.toBeNull();

    // A synthetic subject with any other role is refused even when correctly signed.
    const forged = await new SignJWT({ name: 'viewer:x', role: 'admin', courts: [] })
      .setProtectedHeader({ alg: 'HS256', kid: kidOf(server.jwtSecret) })
      .setSubject('viewer:x')
      .setIssuer('scoredesk')
      .setAudience('scoredesk')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(server.jwtSecret));
    expect(await current.verify(forged)).toBeNull();
    const res = await server.http('POST', '/api/matches', { sport: 'generic', court: 'X' }, forged);
    expect(res.status).toBe(401);
  });
});

describe('PRESENCE on /live', () => {
  it('reaches admin sockets only; viewers and scorers following courts get updates with consoleOnline', async () => {
    const match = await server.createMatch({ court: 'P1' });
    const graphics = (await mint({ label: 'presence check' })).body.token as string;
    const admin = await live(server.adminToken);
    const others = {
      graphicsAll: await live(graphics),
      graphicsCourt: await live(graphics),
      viewerAll: await live(viewerUser),
      scorerAll: await live(scorerUser),
    };
    const presenceSeen = new Map<string, unknown[]>();
    for (const [name, socket] of Object.entries({ admin, ...others })) {
      presenceSeen.set(name, []);
      socket.on('PRESENCE', (p: unknown) => presenceSeen.get(name)!.push(p));
      const courts = name === 'graphicsCourt' ? { courts: ['P1'] } : {};
      expect((await request(socket, 'SUBSCRIBE_COURTS', courts)).ok).toBe(true);
    }
    const updates = recordUpdates(others.graphicsAll);

    const consoleId = randomUUID();
    const desk = await connectSocket(server.url, '/console', scorerUser, { consoleId });
    sockets.push(desk);
    expect(
      (
        await request(desk, 'presence:report', {
          court: 'P1',
          matchId: match.id,
          pending: 0,
          lastConfirmedAt: null,
          state: 'live',
        })
      ).ok,
    ).toBe(true);
    const push = await request(desk, 'events:push', {
      matchId: match.id,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 2)],
    });
    expect(push.ok).toBe(true);

    // The admin sees the console, by name and court.
    await until(
      () => presenceSeen.get('admin')!.some((p: any) => p.consoleId === consoleId && p.court === 'P1'),
      "the admin's PRESENCE for the console",
    );
    await updates.waitForSeq(match.id, 3);
    // A round trip on each socket after the admin's PRESENCE: anything emitted to them before is in.
    for (const socket of Object.values(others)) await request(socket, 'SUBSCRIBE_COURTS', { courts: ['P1'] });
    for (const name of Object.keys(others)) expect(presenceSeen.get(name), name).toEqual([]);

    const last = updates.updates.filter((u) => u.matchId === match.id).at(-1);
    expect(last.freshness.consoleOnline).toBe(true);
    expect(last.snapshot.home.score).toBe(2);

    // The console drops: graphics learn it from a COURT_UPDATE with freshness, still no PRESENCE.
    const dropped = new Promise<any>((resolve) =>
      others.graphicsCourt.on('COURT_UPDATE', (m: any) => m.freshness && resolve(m)),
    );
    desk.close();
    const notice = await dropped;
    expect(notice).toMatchObject({ court: 'P1', snapshot: { id: match.id, cursor: last.cursor } });
    expect(notice.freshness.consoleOnline).toBe(false);
    expect(JSON.stringify(notice)).not.toContain(consoleId);
    for (const socket of Object.values(others)) await request(socket, 'SUBSCRIBE_COURTS', { courts: ['P1'] });
    for (const name of Object.keys(others)) expect(presenceSeen.get(name), name).toEqual([]);
    await request(admin, 'SUBSCRIBE_COURTS', {});
    expect(presenceSeen.get('admin')!.some((p: any) => p.consoleId === consoleId && !p.online)).toBe(true);
  });
});

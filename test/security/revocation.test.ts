/**
 * Issue 12, items "deleted/disabled users" and "revocation one by one", against the real
 * server and PostgreSQL with an honest court pushing throughout:
 * - a deleted user's token used to connect, read and push (the push broke the shared
 *   batch on the users foreign key); now it is refused on /console, /live and HTTP;
 * - disabling a user ends its live sockets and SSE streams at once;
 * - a revoked token id (POST /api/tokens/revoke) ends that token's sockets and streams
 *   and is refused everywhere, while other tokens of the same user keep working.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../support/server.js';
import { HonestCourt } from './honest-court.js';

let server: TestServer;
let honest: HonestCourt;
let pool: pg.Pool;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
  honest = await HonestCourt.onCourt(server);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  honest?.close();
  await pool?.end();
  await server?.stop();
});

async function keep(socket: Promise<Socket>): Promise<Socket> {
  const s = await socket;
  sockets.push(s);
  return s;
}

/** Resolves with the session:end a socket got, once it is disconnected. */
function ended(socket: Socket): Promise<{ code: string; message: string }> {
  return new Promise((resolve) => {
    let notice: { code: string; message: string } = { code: 'none', message: '' };
    socket.on('session:end', (n: { code: string; message: string }) => (notice = n));
    socket.on('disconnect', () => resolve(notice));
  });
}

/** An open SSE stream; `closed` resolves when the server ends it. */
async function openStream(token: string) {
  const controller = new AbortController();
  // Non-viewer tokens go in the header (only viewer tokens may travel in a URL).
  const res = await fetch(`${server.url}/api/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const closed = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return true;
    } catch {
      return true;
    }
  })();
  return { closed, abort: () => controller.abort() };
}

async function userId(username: string): Promise<number> {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
  return rows[0]!.id;
}

describe('deleted and disabled users', () => {
  it('a deleted user’s token is refused on /console, /live and HTTP, and its push never reaches the writer', async () => {
    const name = `gone_${randomUUID().slice(0, 8)}`;
    const token = await server.userToken('scorer', [], name);
    const match = await server.createMatch({ court: '7' });
    honest.start();
    // Deleted by hand in PostgreSQL, as the attacker's report did it.
    await pool.query('DELETE FROM users WHERE username = $1', [name]);
    await expect(connectSocket(server.url, '/console', token)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectSocket(server.url, '/live', token)).rejects.toThrow('UNAUTHORIZED');
    expect((await server.http('GET', '/api/matches', undefined, token)).status).toBe(401);
    expect((await fetch(`${server.url}/api/stream?token=${token}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/feeds/vmix?token=${token}`)).status).toBe(401);
    await honest.stop(10);
    await honest.expectServed();
    const { rows } = await pool.query('SELECT 1 FROM match_events WHERE match_id = $1', [match.id]);
    expect(rows).toEqual([]);
  });

  it('deleting a connected user (DELETE /api/users) ends its sockets and streams; a push in flight is refused', async () => {
    const name = `live_${randomUUID().slice(0, 8)}`;
    const token = await server.userToken('scorer', [], name);
    const match = await server.createMatch({ court: '8' });
    const console1 = await keep(connectSocket(server.url, '/console', token));
    const viewer = await keep(connectSocket(server.url, '/live', token));
    const stream = await openStream(token);
    const consoleEnded = ended(console1);
    const viewerEnded = ended(viewer);
    honest.start();
    expect((await server.http('DELETE', `/api/users/${name}`, undefined, server.adminToken)).status).toBe(204);
    const push = request(console1, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] }, 2_000)
      .then((ack: { ok: boolean; code?: string }) => ack)
      .catch(() => ({ ok: false, code: 'disconnected' }));
    expect(await consoleEnded).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await viewerEnded).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await stream.closed).toBe(true);
    expect((await push).ok).toBe(false);
    await honest.stop(10);
    await honest.expectServed();
    const { rows } = await pool.query('SELECT 1 FROM match_events WHERE match_id = $1', [match.id]);
    expect(rows).toEqual([]);
  });

  it('disabling a user (PATCH) ends its sessions at once; enabling it again lets a new login in', async () => {
    const name = `off_${randomUUID().slice(0, 8)}`;
    const token = await server.userToken('scorer', [], name);
    const match = await server.createMatch({ court: '9' });
    const consoleId = randomUUID();
    const console1 = await keep(connectSocket(server.url, '/console', token, { consoleId }));
    expect(
      await request(console1, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] }),
    ).toMatchObject({ ok: true });
    const consoleEnded = ended(console1);
    honest.start();
    const patched = await server.http('PATCH', `/api/users/${name}`, { disabled: true }, server.adminToken);
    expect(patched).toMatchObject({ status: 200, body: { username: name, disabled: true } });
    expect(await consoleEnded).toMatchObject({ code: 'UNAUTHORIZED', message: 'user deleted or disabled' });
    await expect(connectSocket(server.url, '/console', token)).rejects.toThrow('UNAUTHORIZED');
    expect((await server.http('GET', '/api/matches', undefined, token)).status).toBe(401);
    expect((await server.http('POST', '/api/auth/login', { username: name, password: 'password-123' })).status).toBe(
      401,
    );
    await server.http('PATCH', `/api/users/${name}`, { disabled: false }, server.adminToken);
    const again = await server.login(name, 'password-123');
    const console2 = await keep(connectSocket(server.url, '/console', again, { consoleId }));
    expect(
      await request(console2, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 1) }),
    ).toMatchObject({ ok: true, ackedSeq: 2 });
    await honest.stop(10);
    await honest.expectServed();
    expect(await userId(name)).toBeGreaterThan(0);
  });
});

describe('revocation one by one', () => {
  it('a revoked token id ends its sockets and streams and is refused everywhere; the same user’s other token keeps working', async () => {
    const name = `rev_${randomUUID().slice(0, 8)}`;
    const leaked = await server.userToken('scorer', [], name);
    const other = await server.login(name, 'password-123');
    const viewer = await keep(connectSocket(server.url, '/live', leaked));
    const stream = await openStream(leaked);
    const untouched = await keep(connectSocket(server.url, '/live', other));
    const listed = await server.http('GET', '/api/tokens', undefined, server.adminToken);
    const entry = (listed.body as { tokenId: string; subject: string; sockets: number; streams: number }[]).find(
      (t) => t.subject === name && t.streams === 1,
    );
    expect(entry).toMatchObject({ sockets: 1, streams: 1, kind: 'session' });
    const viewerEnded = ended(viewer);
    honest.start();
    const revoked = await server.http('POST', '/api/tokens/revoke', { tokenId: entry!.tokenId }, server.adminToken);
    expect(revoked).toMatchObject({ status: 200, body: { revoked: true } });
    expect(await viewerEnded).toMatchObject({ code: 'UNAUTHORIZED', message: 'token revoked; log in again' });
    expect(await stream.closed).toBe(true);
    await expect(connectSocket(server.url, '/console', leaked)).rejects.toThrow('UNAUTHORIZED');
    expect((await server.http('GET', '/api/matches', undefined, leaked)).status).toBe(401);
    expect(untouched.connected).toBe(true);
    expect((await server.http('GET', '/api/matches', undefined, other)).status).toBe(200);
    await honest.stop(10);
    await honest.expectServed();
  });

  it('only an admin revokes, and a bad body is VALIDATION', async () => {
    const scorer = await server.userToken('scorer');
    expect((await server.http('POST', '/api/tokens/revoke', { tokenId: 'x' }, scorer)).status).toBe(403);
    expect((await server.http('GET', '/api/tokens', undefined, scorer)).status).toBe(403);
    const bad = await server.http('POST', '/api/tokens/revoke', { tokenId: 5 }, server.adminToken);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION' } } });
  });

  it('a revocation stored by another process (a row inserted in PostgreSQL) is honoured here within a second', async () => {
    const name = `far_${randomUUID().slice(0, 8)}`;
    const token = await server.userToken('viewer', [], name);
    const viewer = await keep(connectSocket(server.url, '/live', token));
    const listed = await server.http('GET', '/api/tokens', undefined, server.adminToken);
    const entry = (listed.body as { tokenId: string; subject: string }[]).find((t) => t.subject === name);
    expect(entry).toMatchObject({ sockets: 1, kind: 'session' });
    const viewerEnded = ended(viewer);
    const started = performance.now();
    await pool.query(`INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, now() + interval '1 day')`, [
      entry!.tokenId,
    ]);
    expect(await viewerEnded).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await server.http('GET', '/api/matches', undefined, token)).status).toBe(401);
  });
});

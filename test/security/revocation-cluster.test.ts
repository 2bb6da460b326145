/**
 * Issue 12: a revocation and a disabled user are honoured by every server process within
 * a second. Two real server processes on one PostgreSQL (postgres adapter): the director
 * revokes a leaked graphics link on process A while the link is connected to process B;
 * B ends those sockets and refuses the token; a user disabled through A loses its console
 * on B. An honest console on B pushes throughout.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket } from '../support/server.js';
import { createTestDatabase } from '../support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../support/server-process.js';
import { HonestCourt } from './honest-court.js';
import { login } from '../support/api-client.js';

/** The bound for every process to honour a revocation. */
const HONOURED_WITHIN_MS = 1_000;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let a: ServerProcess;
let b: ServerProcess;
let admin: string;
let honest: HonestCourt;
const sockets: Socket[] = [];

async function api<T = any>(url: string, method: string, path: string, body?: unknown, token = admin) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function scorer(courts: string[]): Promise<{ name: string; token: string }> {
  const name = `s_${randomUUID().slice(0, 8)}`;
  expect(
    (await api(a.url, 'POST', '/api/users', { username: name, password: 'password-123', role: 'scorer', courts }))
      .status,
  ).toBe(201);
  return { name, token: await login(b.url, name, 'password-123') };
}

function ended(socket: Socket): Promise<number> {
  return new Promise((resolve) => socket.once('disconnect', () => resolve(performance.now())));
}

beforeAll(async () => {
  db = await createTestDatabase('secrevoke');
  const jwtSecret = randomBytes(24).toString('hex');
  const env = { SCOREDESK_ADAPTER: 'postgres' };
  a = await spawnServer({ databaseUrl: db.url, jwtSecret, env: { ...env, SCOREDESK_SERVER_ID: 'revoke-a' } });
  b = await spawnServer({ databaseUrl: db.url, jwtSecret, env: { ...env, SCOREDESK_SERVER_ID: 'revoke-b' } });
  admin = await login(a.url, 'admin', CHILD_ADMIN_PASSWORD);
  const match = await api<{ id: string }>(a.url, 'POST', '/api/matches', {
    sport: 'generic',
    court: '2',
    home: { name: 'Home' },
    away: { name: 'Away' },
  });
  honest = await HonestCourt.connect({
    url: b.url,
    token: (await scorer(['2'])).token,
    matchId: match.body.id,
    databaseUrl: db.url,
  });
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  honest?.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await db?.drop();
});

describe('revocation across processes', () => {
  it('a graphics link revoked on A is ended and refused on B within a second', async () => {
    const minted = await api<{ token: string; tokenId: string }>(a.url, 'POST', '/api/viewer-tokens', {
      label: 'Leaked',
    });
    const onB = await Promise.all(Array.from({ length: 3 }, () => connectSocket(b.url, '/live', minted.body.token)));
    sockets.push(...onB);
    // A sees B's sockets of the token (the court wall asks any process).
    const listed = await api<{ tokenId: string; sockets: number }[]>(a.url, 'GET', '/api/tokens');
    expect(listed.body.find((t) => t.tokenId === minted.body.tokenId)).toMatchObject({ sockets: 3 });
    honest.start();
    const gone = Promise.all(onB.map(ended));
    const started = performance.now();
    expect((await api(a.url, 'POST', '/api/tokens/revoke', { tokenId: minted.body.tokenId })).status).toBe(200);
    const last = Math.max(...(await gone));
    expect(last - started).toBeLessThan(HONOURED_WITHIN_MS);
    await expect(connectSocket(b.url, '/live', minted.body.token)).rejects.toThrow('UNAUTHORIZED');
    expect((await fetch(`${b.url}/api/feeds/vmix?token=${minted.body.token}`)).status).toBe(401);
    await honest.stop(10);
    await honest.expectServed();
  });

  it('a user disabled on A loses its console on B within a second and cannot reconnect there', async () => {
    const { name, token } = await scorer([]);
    const desk = await connectSocket(b.url, '/console', token);
    sockets.push(desk);
    honest.start();
    const gone = ended(desk);
    const started = performance.now();
    expect((await api(a.url, 'PATCH', `/api/users/${name}`, { disabled: true })).status).toBe(200);
    expect((await gone) - started).toBeLessThan(HONOURED_WITHIN_MS);
    await expect(connectSocket(b.url, '/console', token)).rejects.toThrow('UNAUTHORIZED');
    expect((await api(b.url, 'GET', '/api/matches', undefined, token)).status).toBe(401);
    await honest.stop(10);
    await honest.expectServed();
  });
});

/**
 * Overlays fall back to HTTP long polling where a venue proxy blocks WebSocket. A
 * polling /live client must work and must not disturb the server (Express and
 * engine.io must not both answer /socket.io/ requests).
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SubscribeCourtsAck } from '../../shared/protocol.js';
import { createMatch, login, userToken } from '../../server/broadcast/testing/api-client.js';
import { ADMIN_PASSWORD, BroadcastTestServer } from '../../server/broadcast/testing/server.js';
import { createTestDatabase } from '../support/postgres.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: BroadcastTestServer;

beforeAll(async () => {
  db = await createTestDatabase('overlays_polling');
  server = await BroadcastTestServer.start({ databaseUrl: db.url });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

it('serves a /live viewer over long polling and stays up', async () => {
  const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
  const viewer = await userToken(server.url, admin, 'graphics', 'viewer');
  const match = await createMatch(server.url, admin, { sport: 'generic', court: 'P1', home: 'H', away: 'A' });
  const socket = io(`${server.url}/live`, {
    auth: { token: viewer, protocol: PROTOCOL_VERSION },
    transports: ['polling'],
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await socket.timeout(10_000).emitWithAck('SUBSCRIBE_COURTS', { courts: ['P1'] });
    expect((ack as SubscribeCourtsAck).ok).toBe(true);
    expect((ack as SubscribeCourtsAck & { ok: true }).snapshots.map((s) => s.id)).toEqual([match.id]);
    await new Promise((r) => setTimeout(r, 500)); // a few more poll cycles
    expect(socket.connected).toBe(true);
  } finally {
    socket.disconnect();
  }
  expect(server.running).toBe(true);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

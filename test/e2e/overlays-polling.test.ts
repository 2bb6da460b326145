/**
 * Overlays fall back to HTTP long polling where a venue proxy blocks WebSocket. A
 * polling /live client must work and must not disturb the server (Express and
 * engine.io must not both answer /socket.io/ requests).
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SubscribeCourtsAck } from '../../shared/protocol.js';
import { createMatch, login, userToken } from '../support/broadcast/api-client.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { createTestDatabase } from '../support/postgres.js';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;

beforeAll(async () => {
  db = await createTestDatabase('overlays_polling');
  server = await RestartableServer.start({ databaseUrl: db.url });
});

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

it('serves a /live viewer over long polling and stays up', async () => {
  const admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
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
    // A few more poll cycles: each acknowledged request comes back on a poll of its own.
    let polls = 0;
    socket.io.engine.transport.on('pollComplete', () => polls++);
    for (let i = 0; i < 3; i++) {
      const again = await socket.timeout(10_000).emitWithAck('SUBSCRIBE_COURTS', { courts: ['P1'] });
      expect((again as SubscribeCourtsAck).ok).toBe(true);
    }
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(socket.io.engine.transport.name).toBe('polling');
    expect(socket.connected).toBe(true);
  } finally {
    socket.disconnect();
  }
  expect(server.running).toBe(true);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

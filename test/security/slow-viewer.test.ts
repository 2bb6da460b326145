/**
 * "A viewer that never reads: bounded memory on the server; it gets the latest state, or
 * is dropped." A raw WebSocket viewer stops reading and keeps asking for full catch-ups
 * of a long match; the server must drop it once the bytes it holds for it pass
 * LIVE_WRITE_BUFFER_MAX_BYTES (never pin more than that plus one packet), while an
 * ordinary viewer of the same match keeps receiving live updates.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../server/testing/harness.js';
import { bufferedBytes, LIVE_WRITE_BUFFER_MAX_BYTES } from '../../server/security/backpressure.js';
import { connectRawViewer } from './raw-viewer.js';
import { until, watchMatches } from './support.js';

/** Events in the long match: two catch-up pages of 1000 (~170 KB each). */
const HISTORY = 2_000;
/** Catch-up requests the slow viewer may send: far more than any buffer should hold. */
const MAX_REQUESTS = 400;

let server: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

it('drops a viewer that never reads before it pins more than the byte limit; others keep being served', async () => {
  const scorer = await server.userToken('scorer');
  const viewerToken = await server.userToken('viewer');
  const match = await server.createMatch({ court: 'S' });
  const consoleSocket = await connectSocket(server.url, '/console', scorer, { consoleId: randomUUID() });
  sockets.push(consoleSocket);
  let seq = 0;
  expect(
    await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(++seq)] }),
  ).toMatchObject({ ok: true });
  while (seq < HISTORY) {
    const events = scoreEvents(seq + 1, Math.min(500, HISTORY - seq));
    expect(await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events })).toMatchObject({
      ok: true,
    });
    seq += events.length;
  }

  const honest = await connectSocket(server.url, '/live', viewerToken);
  sockets.push(honest);
  const watch = await watchMatches(honest, [match.id]);

  const slow = await connectRawViewer(server.url, viewerToken);
  const serverSide = [...server.io.of('/live').sockets.values()].find(
    (s) => s.conn.request.socket.remotePort === slow.localPort,
  );
  expect(serverSide).toBeDefined();
  slow.pause();
  let maxHeld = 0;
  let dropped = false;
  void slow.closed;
  serverSide!.on('disconnect', () => (dropped = true));
  for (let i = 0; i < MAX_REQUESTS && !dropped; i++) {
    slow.emit('SUBSCRIBE_MATCH', { matchId: match.id, since: 0 });
    maxHeld = Math.max(maxHeld, bufferedBytes(serverSide!.conn));
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 50));
  }
  await until(
    () => {
      maxHeld = Math.max(maxHeld, bufferedBytes(serverSide!.conn));
      return dropped;
    },
    'the slow viewer to be dropped',
    60_000,
  );
  const droppedCount = (await server.metrics.liveDropped.get()).values[0]?.value ?? 0;
  expect(droppedCount).toBe(1);
  // One catch-up page (~170 KB) may be queued past the check that runs before each emit.
  expect(maxHeld).toBeLessThan(LIVE_WRITE_BUFFER_MAX_BYTES + 512 * 1024);
  slow.destroy();

  // The honest viewer of the same match is still served.
  expect(honest.connected).toBe(true);
  expect(
    await request(consoleSocket, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(seq + 1, 1) }),
  ).toMatchObject({ ok: true });
  await watch.waitFor(match.id, seq + 1);
}, 120_000);

/** Bounded memory: past SCOREDESK_MAX_PENDING_EVENTS uncommitted events, pushes are refused, never queued. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdCommits } from '../../test/support/hold-commits.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: { maxPendingEvents: 5 } });
});
afterAll(async () => {
  await server.stop();
});

it('refuses a push with UNAVAILABLE while the backlog is full, and accepts it once committed', async () => {
  const [m1, m2] = [await server.createMatch(), await server.createMatch()];
  const a = await connectSocket(server.url, '/console', server.adminToken, { consoleId: randomUUID() });
  const b = await connectSocket(server.url, '/console', server.adminToken, { consoleId: randomUUID() });
  // The first push's commit waits on a held lock, so its 4 events stay pending.
  const hold = await holdCommits(server.databaseUrl);
  const first = request(a, 'events:push', { matchId: m1.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 3)] });
  await hold.waitBlocked();
  expect(server.pendingEvents()).toBe(4);
  const refused = await request(b, 'events:push', {
    matchId: m2.id,
    epoch: 0,
    events: [startEvent(1), ...scoreEvents(2, 1)],
  });
  expect(refused).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
  await hold.release();
  expect(await first).toMatchObject({ ok: true, ackedSeq: 4 });
  expect(
    await request(b, 'events:push', { matchId: m2.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 1)] }),
  ).toMatchObject({ ok: true, ackedSeq: 2 });
  a.close();
  b.close();
});

/** Token expiry mid-session and handshake refusals on /console. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSocket, request, startTestServer, type TestServer } from '../testing/harness.js';

/** Short enough to watch expire in a test. */
const TOKEN_TTL_S = 2;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: { tokenTtlSeconds: TOKEN_TTL_S } });
});
afterAll(async () => {
  await server.stop();
});

it('a token expiring mid-session ends the session with session:end, then a fresh token connects again', async () => {
  const consoleId = randomUUID();
  const socket = await connectSocket(server.url, '/console', server.adminToken, { consoleId });
  const ended = new Promise((resolve) => socket.once('session:end', resolve));
  const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
  expect(await ended).toMatchObject({ code: 'UNAUTHORIZED' });
  expect(await disconnected).toBe('io server disconnect');
  const fresh = await server.login('admin', 'admin-password-1');
  const again = await connectSocket(server.url, '/console', fresh, { consoleId });
  expect((await request(again, 'schedule:list', {})).ok).toBe(true);
  again.close();
});

it('refuses a missing protocol version and a bad consoleId', async () => {
  const token = await server.login('admin', 'admin-password-1');
  await expect(connectSocket(server.url, '/console', token, { protocol: 0 })).rejects.toThrow('PROTOCOL');
  await expect(connectSocket(server.url, '/console', token, { consoleId: 'not-a-uuid' })).rejects.toThrow(
    'UNAUTHORIZED',
  );
});

it('tells consoles when the schedule changes', async () => {
  const token = await server.login('admin', 'admin-password-1');
  const socket = await connectSocket(server.url, '/console', token);
  const changed = new Promise((resolve) => socket.once('schedule:changed', resolve));
  await server.http(
    'POST',
    '/api/matches',
    { sport: 'tennis', court: 'Schedule court', home: { name: 'a' }, away: { name: 'b' } },
    token,
  );
  expect(await changed).toEqual({ court: 'Schedule court' });
  socket.close();
});

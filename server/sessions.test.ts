/** websocket_sessions rows for every connection, and the Socket.io admin UI behind basic auth. */
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectSocket, request, startEvent, startTestServer, type TestServer } from '../test/support/server.js';

let server: TestServer;
let pool: pg.Pool;

beforeAll(async () => {
  server = await startTestServer({
    config: { adminUi: { username: 'ops', passwordHash: bcrypt.hashSync('ops-password', 4), readonly: true } },
  });
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await server.stop();
});

/** The value `read` gives once it gives one (vi.waitFor retries while it throws). */
function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (value === undefined) throw new Error('not there yet');
      return value;
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

describe('websocket_sessions', () => {
  it('records connect, console, match, disconnect and its reason', async () => {
    const match = await server.createMatch({ court: 'Sessions' });
    const consoleId = randomUUID();
    const c = await connectSocket(server.url, '/console', server.adminToken, { consoleId });
    const socketId = c.id;
    expect(await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    c.close();
    const row = await waitFor(async () => {
      const { rows } = await pool.query(
        'SELECT * FROM websocket_sessions WHERE console_id = $1 AND disconnected_at IS NOT NULL',
        [consoleId],
      );
      return rows[0];
    });
    expect(row).toMatchObject({
      namespace: '/console',
      username: 'admin',
      role: 'admin',
      match_id: match.id,
      disconnect_reason: 'client namespace disconnect',
    });
    expect(row.socket_id).toBeTruthy();
    expect(socketId).toBeTruthy();
    expect(row.connected_at.getTime()).toBeLessThanOrEqual(row.disconnected_at.getTime());
    const stored = await pool.query('SELECT user_id, console_id FROM match_events WHERE match_id = $1', [match.id]);
    expect(stored.rows[0]).toMatchObject({ user_id: row.user_id, console_id: consoleId });
  });
});

describe('admin UI', () => {
  function adminConnect(auth: Record<string, string>): Promise<string> {
    const s = connect(server.url + '/admin', { transports: ['websocket'], reconnection: false, forceNew: true, auth });
    return new Promise((resolve) => {
      s.once('connect', () => {
        s.close();
        resolve('connected');
      });
      s.once('connect_error', (e) => {
        s.close();
        resolve(`refused: ${e.message}`);
      });
    });
  }

  it('refuses a wrong password and admits the configured user', async () => {
    expect(await adminConnect({ username: 'ops', password: 'wrong' })).toMatch(/^refused/);
    expect(await adminConnect({})).toMatch(/^refused/);
    expect(await adminConnect({ username: 'ops', password: 'ops-password' })).toBe('connected');
  });
});

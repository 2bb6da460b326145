/**
 * Migrations on an empty database (and again: a no-op), and health/ingest while a
 * PostgreSQL of our own is stopped and started again: 503 and UNAVAILABLE while down,
 * nothing acknowledged, recovery by itself.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../test/support/ports.js';
import { until } from '../../test/support/wait.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { openEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';
import { runMigrations } from './migrate.js';

let dir: string;
let db: EmbeddedDatabase;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-health-'));
  db = await openEmbeddedPostgres({ dir, port: await freeLoopbackPort() });
});

afterAll(async () => {
  await db.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

/** PostgreSQL restarting on two busy cores. */
const RECOVERY_TIMEOUT_MS = 20_000;

describe('migrations', () => {
  it('apply to an empty database and are a no-op the second time', async () => {
    const first = await runMigrations(db.url);
    expect(first).toContain('1764300000000_initial-schema');
    expect(await runMigrations(db.url)).toEqual([]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    await client.end();
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'users',
        'matches',
        'match_events',
        'match_statistics',
        'websocket_sessions',
        'console_presence',
        'event_cursor',
        'socket_io_attachments',
      ]),
    );
  });
});

describe('PostgreSQL stopped and started', () => {
  let server: TestServer;

  it('healthz 503 and pushes UNAVAILABLE while down; both recover by themselves', async () => {
    server = await startTestServer({ databaseUrl: db.url, keepDatabase: true });
    try {
      expect((await server.http('GET', '/healthz')).status).toBe(200);
      const match = await server.createMatch();
      const consoleId = randomUUID();
      const c = await connectSocket(server.url, '/console', server.adminToken, { consoleId, reconnection: true });
      expect(await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
        ok: true,
      });

      await db.stop();
      expect((await server.http('GET', '/healthz')).status).toBe(503);
      const down = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 3) });
      expect(down).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      const again = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 3) });
      expect(again).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      expect(server.pendingEvents()).toBe(0);

      await db.start();
      await until(
        async () => (await server.http('GET', '/healthz')).status === 200,
        '/healthz 200',
        RECOVERY_TIMEOUT_MS,
      );
      let ack: any;
      await until(
        async () => {
          ack = await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(2, 3) });
          return ack.ok === true;
        },
        'the push accepted again',
        RECOVERY_TIMEOUT_MS,
      );
      expect(ack).toMatchObject({ ok: true, ackedSeq: 4 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT seq FROM match_events WHERE match_id = $1 ORDER BY seq', [match.id]);
      await client.end();
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      c.close();
    } finally {
      await server.stop();
    }
  });
});

/**
 * A real server process killed with SIGKILL between push and ack: before the commit
 * (nothing stored, nothing acked) and after the commit (stored, not acked). The console
 * resends after the restart; every event ends up stored exactly once. Also: SIGTERM
 * waits for the commit under way, acknowledges it and exits 0.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { holdCommits } from '../test/support/hold-commits.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { createMatch, login } from '../test/support/api-client.js';
import {
  CHILD_ADMIN_PASSWORD,
  spawnServer,
  type ServerProcess,
  type ServerProcessOptions,
} from '../test/support/server-process.js';
import { connectSocket, request, scoreEvents, startEvent } from '../test/support/server.js';

let db: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
const running = new Set<ServerProcess>();

async function spawn(options: Pick<ServerProcessOptions, 'crash' | 'port'> = {}) {
  const p = await spawnServer({ databaseUrl: db.url, jwtSecret: 'restart-test-secret-0123456789', ...options });
  running.add(p);
  void p.exited.then(() => running.delete(p));
  return p;
}

const adminToken = (url: string) => login(url, 'admin', CHILD_ADMIN_PASSWORD);
const newMatch = async (url: string, token: string) => (await createMatch(url, token, { court: 'R' })).id;

async function storedSeqs(matchId: string): Promise<number[]> {
  const { rows } = await pool.query('SELECT seq FROM match_events WHERE match_id = $1 ORDER BY seq', [matchId]);
  return rows.map((r) => r.seq);
}

/** A new server on the same port; the console resends the same five events: acknowledged, stored once. */
async function resendAfterRestart(port: number, token: string, consoleId: string, matchId: string, events: unknown[]) {
  const second = await spawn({ port });
  const c2 = await connectSocket(second.url, '/console', token, { consoleId });
  expect(await request(c2, 'events:push', { matchId, epoch: 0, events })).toMatchObject({ ok: true, ackedSeq: 5 });
  expect(await storedSeqs(matchId)).toEqual([1, 2, 3, 4, 5]);
  c2.close();
  expect(await second.stop()).toBe(0);
}

beforeAll(async () => {
  db = await createTestDatabase('restart');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  for (const p of running) await p.kill();
  await pool.end();
  await db.drop();
});

describe('server killed between push and ack', () => {
  it('before commit: nothing stored, no ack; the resend after restart is stored once', async () => {
    const first = await spawn({ crash: { point: 'before-commit' } });
    const token = await adminToken(first.url);
    const matchId = await newMatch(first.url, token);
    const consoleId = randomUUID();
    const events = [startEvent(1), ...scoreEvents(2, 4)];
    const c1 = await connectSocket(first.url, '/console', token, { consoleId });
    const lost = request(c1, 'events:push', { matchId, epoch: 0, events }, 20_000).catch((e: Error) => e);
    expect(await first.exited).toBeNull();
    expect(await lost).toBeInstanceOf(Error);
    c1.close();
    expect(await storedSeqs(matchId)).toEqual([]);

    await resendAfterRestart(first.port, token, consoleId, matchId, events);
  });

  it('while its commit waits in PostgreSQL: no ack; whether the commit landed or not, the resend is stored once', async () => {
    const first = await spawn();
    const token = await adminToken(first.url);
    const matchId = await newMatch(first.url, token);
    const consoleId = randomUUID();
    const events = [startEvent(1), ...scoreEvents(2, 4)];
    const c1 = await connectSocket(first.url, '/console', token, { consoleId });
    // The commit waits on a held lock: the process dies with the push taken and not committed.
    const hold = await holdCommits(db.url);
    const lost = request(c1, 'events:push', { matchId, epoch: 0, events }, 20_000).catch((e: Error) => e);
    await hold.waitBlocked();
    await first.kill('SIGKILL');
    await hold.release();
    expect(await lost).toBeInstanceOf(Error);
    c1.close();
    // The statement was sent: PostgreSQL may still run it after the client died (one statement, autocommit).
    expect([[], [1, 2, 3, 4, 5]]).toContainEqual(await storedSeqs(matchId));

    await resendAfterRestart(first.port, token, consoleId, matchId, events);
  });

  it('after commit, before ack: the resend is acknowledged as a duplicate, stored once', async () => {
    const first = await spawn({ crash: { point: 'after-commit-before-ack' } });
    const token = await adminToken(first.url);
    const matchId = await newMatch(first.url, token);
    const consoleId = randomUUID();
    const events = [startEvent(1), ...scoreEvents(2, 2)];
    const c1 = await connectSocket(first.url, '/console', token, { consoleId });
    const lost = request(c1, 'events:push', { matchId, epoch: 0, events }, 20_000).catch((e: Error) => e);
    expect(await first.exited).toBeNull();
    expect(await lost).toBeInstanceOf(Error);
    c1.close();
    expect(await storedSeqs(matchId)).toEqual([1, 2, 3]);

    const second = await spawn({ port: first.port });
    const c2 = await connectSocket(second.url, '/console', token, { consoleId });
    expect(
      await request(c2, 'events:push', { matchId, epoch: 0, events: [...events, ...scoreEvents(4, 1)] }),
    ).toMatchObject({ ok: true, ackedSeq: 4 });
    expect(await storedSeqs(matchId)).toEqual([1, 2, 3, 4]);
    c2.close();
    await second.stop();
  });

  it('SIGTERM waits for the commit under way, acknowledges it, then exits 0', async () => {
    const server = await spawn();
    const token = await adminToken(server.url);
    const matchId = await newMatch(server.url, token);
    const c = await connectSocket(server.url, '/console', token, { consoleId: randomUUID() });
    const hold = await holdCommits(db.url);
    const ack = request(c, 'events:push', { matchId, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 2)] }, 20_000);
    await hold.waitBlocked();
    // SIGTERM while the commit is under way: shutdown waits for it.
    const code = server.stop();
    await vi.waitFor(() => expect(server.logs.some((l) => l.includes('"msg":"shutting down"'))).toBe(true));
    await hold.release();
    expect(await ack).toMatchObject({ ok: true, ackedSeq: 3 });
    expect(await code).toBe(0);
    c.close();
    expect(await storedSeqs(matchId)).toEqual([1, 2, 3]);
    expect(server.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});

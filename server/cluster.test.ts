/**
 * Two real server processes on one database, joined by the postgres adapter and by the
 * redis adapter: a console on process A reaches a viewer on process B (ordered, linked,
 * nothing twice), and a handover made on B fences the console connected to A.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../test/support/server-process.js';
import { connectSocket, recordUpdates, request, scoreEvents, startEvent } from '../test/support/server.js';

const JWT_SECRET = 'cluster-test-secret-0123456789abcdef';
/** Console A's pace, 50 pushes/s: a fast court, and a quarter of the per-socket message limit. */
const SCORING_INTERVAL_MS = 20;
let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

async function login(url: string): Promise<string> {
  const res = await fetch(url + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: CHILD_ADMIN_PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function post(url: string, token: string, body: unknown): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return res.json();
}

for (const adapter of ['postgres', 'redis'] as const) {
  describe(`two processes with the ${adapter} adapter`, () => {
    let db: { url: string; drop: () => Promise<void> };
    const processes: ServerProcess[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(`cluster_${adapter}`);
      const env = {
        SCOREDESK_ADAPTER: adapter,
        ...(adapter === 'redis' ? { SCOREDESK_REDIS_URL: redis.url } : {}),
      };
      for (let i = 0; i < 2; i++)
        processes.push(
          await spawnServer({
            databaseUrl: db.url,
            jwtSecret: JWT_SECRET,
            env: { ...env, SCOREDESK_SERVER_ID: `${adapter}-${i}` },
          }),
        );
    });

    afterAll(async () => {
      for (const p of processes) await p.stop();
      await db.drop();
    });

    it('a console on A reaches a viewer on B, in order, nothing twice; handover on B fences the console on A', async () => {
      const [a, b] = processes as [ServerProcess, ServerProcess];
      const token = await login(a.url);
      const match = await post(a.url + '/api/matches', token, {
        sport: 'generic',
        court: 'X',
        home: { name: 'H' },
        away: { name: 'A' },
      });
      const viewer = await connectSocket(b.url, '/live', token);
      const rec = recordUpdates(viewer);
      const sub = await request(viewer, 'SUBSCRIBE_MATCH', { matchId: match.id });
      expect(sub.ok).toBe(true);
      const consoleId = randomUUID();
      const c = await connectSocket(a.url, '/console', token, { consoleId });
      expect(await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] })).toMatchObject({
        ok: true,
      });
      for (let seq = 2; seq <= 41; seq += 5) {
        expect(
          await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(seq, 5) }),
        ).toMatchObject({ ok: true });
      }
      await rec.waitForSeq(match.id, 41);
      let base = 0;
      for (const u of rec.updates) {
        expect(u.baseCursor).toBe(base);
        base = u.cursor;
      }
      expect(rec.events().map((e: any) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));

      const fenced = new Promise((resolve) => c.once('match:fenced', resolve));
      const handover = await post(`${b.url}/api/matches/${match.id}/handover`, token, { consoleId: randomUUID() });
      expect(handover.epoch).toBe(1);
      expect(await fenced).toEqual({ matchId: match.id, epoch: 1 });
      expect(
        await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(42, 1) }),
      ).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
      viewer.close();
      c.close();
    });

    it('a console on B takes over a match that a console on A is writing: no seq twice, no acked event lost, A fenced', async () => {
      const [a, b] = processes as [ServerProcess, ServerProcess];
      const token = await login(a.url);
      const match = await post(a.url + '/api/matches', token, {
        sport: 'generic',
        court: 'Y',
        home: { name: 'H' },
        away: { name: 'A' },
      });
      const consoleA = randomUUID();
      const consoleB = randomUUID();
      const ca = await connectSocket(a.url, '/console', token, { consoleId: consoleA });
      const cb = await connectSocket(b.url, '/console', token, { consoleId: consoleB });
      const ackedByA: number[] = [];
      let fencedCode = '';
      const writerA = (async () => {
        let seq = 1;
        while (seq < 400) {
          const ack = await request(ca, 'events:push', {
            matchId: match.id,
            epoch: 0,
            events: seq === 1 ? [startEvent(1)] : scoreEvents(seq, 1),
          });
          if (ack.ok) ackedByA.push(seq++);
          else if (ack.code === 'UNAVAILABLE') continue;
          else {
            fencedCode = ack.code;
            return;
          }
          // A scorer's pace (acks come within a commit now): well inside the per-socket message limit.
          await new Promise((r) => setTimeout(r, SCORING_INTERVAL_MS));
        }
      })();
      // B takes over while A is writing.
      await vi.waitFor(() => expect(ackedByA.length).toBeGreaterThanOrEqual(10), { timeout: 10_000 });
      const claim = await request(cb, 'match:claim', { matchId: match.id, expectedEpoch: 0 });
      expect(claim).toEqual({ ok: true, epoch: 1 });
      const pulled = await request(cb, 'match:pull', { matchId: match.id, after: 0 });
      const next = pulled.events.length + 1;
      expect(
        await request(cb, 'events:push', { matchId: match.id, epoch: 1, events: scoreEvents(next, 3, 'away') }),
      ).toMatchObject({ ok: true, ackedSeq: next + 2 });
      await writerA;
      expect(fencedCode).toBe('STALE_EPOCH');

      const all = await fetch(`${a.url}/api/matches/${match.id}/events?after=0&limit=1000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const events = ((await all.json()) as { events: any[] }).events;
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: next + 2 }, (_, i) => i + 1));
      for (const seq of ackedByA) expect(events[seq - 1]).toMatchObject({ consoleId: consoleA, epoch: 0 });
      expect(events.slice(next - 1).every((e) => e.consoleId === consoleB && e.epoch === 1)).toBe(true);
      expect(events.slice(0, next - 1).every((e) => e.consoleId === consoleA)).toBe(true);
      ca.close();
      cb.close();
    });
  });
}

/**
 * Two real server processes on one PostgreSQL, joined by the postgres adapter and by the
 * redis adapter: the per-user connection cap counts sockets on both, the per-user message
 * limit is shared (RateLimiterPostgres / RateLimiterRedis), and a process killed with -9
 * stops counting: its sockets leave the count on the survivor, so the user can reconnect.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { connectSocket, request } from '../support/server.js';
import { createTestDatabase } from '../support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../support/server-process.js';
import { login } from '../support/api-client.js';

const CAP = 10;
/** The lowest per-user rate the settings allow; each socket alone stays under its own 200/s. */
const USER_RATE = 100;

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

for (const adapter of ['postgres', 'redis'] as const) {
  describe(`two processes, ${adapter} adapter`, () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let a: ServerProcess;
    let b: ServerProcess;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      db = await createTestDatabase(`secmulti_${adapter}`);
      const jwtSecret = randomBytes(24).toString('hex');
      const env = {
        SCOREDESK_ADAPTER: adapter,
        ...(adapter === 'redis' ? { SCOREDESK_REDIS_URL: redis.url } : {}),
        SCOREDESK_MAX_CONNECTIONS_PER_USER: String(CAP),
        SCOREDESK_USER_RATE: String(USER_RATE),
      };
      a = await spawnServer({
        databaseUrl: db.url,
        jwtSecret,
        env: { ...env, SCOREDESK_SERVER_ID: `sec-a-${adapter}` },
      });
      b = await spawnServer({
        databaseUrl: db.url,
        jwtSecret,
        env: { ...env, SCOREDESK_SERVER_ID: `sec-b-${adapter}` },
      });
    }, 120_000);
    afterAll(async () => {
      for (const s of sockets) s.close();
      await Promise.allSettled([a?.kill(), b?.kill()]);
      await db?.drop();
    });

    async function open(url: string, token: string): Promise<Socket> {
      const s = await connectSocket(url, '/live', token);
      sockets.push(s);
      return s;
    }

    it('caps live connections per user across processes, shares the message limit, and forgets a killed process', async () => {
      const admin = await login(a.url, 'admin', CHILD_ADMIN_PASSWORD);
      const created = await fetch(`${a.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ username: 'wall', password: 'wall-password-1', role: 'viewer' }),
      });
      expect(created.status).toBe(201);
      const token = await login(b.url, 'wall', 'wall-password-1');

      const onA = await Promise.all(Array.from({ length: 6 }, () => open(a.url, token)));
      const onB = await Promise.all(Array.from({ length: 4 }, () => open(b.url, token)));
      await expect(open(b.url, token)).rejects.toThrow('RATE_LIMITED');
      await expect(open(a.url, token)).rejects.toThrow('RATE_LIMITED');

      // 2 x 80 messages in one burst from two processes: each socket is under its own limit, the user is not.
      const burst = (s: Socket) => Promise.all(Array.from({ length: 80 }, () => request(s, 'SUBSCRIBE_COURTS', {})));
      const answers = (await Promise.all([burst(onA[0]!), burst(onB[0]!)])).flat();
      expect(answers.filter((r) => r.code === 'RATE_LIMITED').length).toBeGreaterThan(0);

      await a.kill('SIGKILL');
      // The survivor no longer counts the dead process's six sockets: six more fit, the eleventh does not.
      for (let i = 0; i < 6; i++) await open(b.url, token);
      await expect(open(b.url, token)).rejects.toThrow('RATE_LIMITED');
      expect(onB.every((s) => s.connected)).toBe(true);
    }, 120_000);
  });
}

/**
 * Faults row "one of several server processes killed", for both adapters: two server
 * processes on one PostgreSQL (postgres adapter, then redis adapter), consoles on the
 * first through the proxy, a viewer on the second. The consoles' process is killed with
 * SIGKILL; the consoles reconnect to the survivor, whose handshakes must not wait for the
 * dead process's answer to the cluster-wide connection count (server/security/
 * connection-cap.ts), and their next pushes are acknowledged there. State ends identical
 * everywhere. How fast that is: bench/failover.bench.ts (target: within 1 s of the kill).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { FaultRig, SETTLE_TIMEOUT_MS } from './harness/rig.js';
import { withDeadline } from '../support/wait.js';

const EVENT_INTERVAL_MS = 20;

for (const adapter of ['postgres', 'redis'] as const) {
  describe(`a killed process, ${adapter} adapter`, () => {
    let rig: FaultRig;
    let redis: RedisServer | undefined;
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      if (adapter === 'redis') redis = await startRedisServer();
      const db = await createTestDatabase(`faults_failover_${adapter}`);
      drop = db.drop;
      rig = await FaultRig.start({
        databaseUrl: db.url,
        servers: 2,
        serverEnv: { SCOREDESK_ADAPTER: adapter, ...(redis ? { SCOREDESK_REDIS_URL: redis.url } : {}) },
        courts: 2,
        viewers: 1,
        seed: adapter === 'postgres' ? 91 : 92,
      });
    });

    afterAll(async () => {
      await rig?.close();
      await drop?.();
      await redis?.stop();
    });

    it('consoles reconnect to the survivor and their pushes are acknowledged there', async () => {
      const [first, second] = rig.servers as [(typeof rig.servers)[0], (typeof rig.servers)[0]];
      await rig.score(5, EVENT_INTERVAL_MS);
      await withDeadline(
        Promise.all(rig.consoles.map((c) => c.drained())),
        SETTLE_TIMEOUT_MS,
        () => 'consoles not acknowledged before the kill',
      );
      const ackedBefore = rig.consoles.map((c) => c.ackedSeq);
      // 'connect' of the namespace: the survivor's handshake (token, connection cap) passed.
      const reconnected = rig.consoles.map((c) => new Promise<void>((resolve) => c.socket.once('connect', resolve)));

      await first.kill9();
      await rig.score(5, EVENT_INTERVAL_MS);
      // Only the survivor is left: every reconnect and every ack from here on is its.
      await withDeadline(Promise.all(reconnected), SETTLE_TIMEOUT_MS, () => 'consoles did not reconnect');
      await withDeadline(
        Promise.all(rig.consoles.map((c) => c.drained())),
        SETTLE_TIMEOUT_MS,
        () => `pushes not acknowledged by the survivor: ${rig.consoles.map((c) => c.pending).join(', ')} pending`,
      );
      expect(rig.consoles.map((c) => c.ackedSeq)).toEqual(ackedBefore.map((n) => n + 5));
      expect(first.running).toBe(false);
      expect(second.running).toBe(true);
      // None of the survivor's handshakes was refused while the dead process still counted.
      expect(rig.consoles.flatMap((c) => c.acks.filter((a) => !a.ack.ok && a.ack.code !== 'TIMEOUT'))).toEqual([]);

      const report = await rig.verify();
      expect(report.problems).toEqual([]);
    });
  });
}

/**
 * Faults row "PostgreSQL restarted or down for 30 s": the test owns its PostgreSQL
 * cluster and restarts it fast and immediately (crash-like: WAL recovery) while
 * consoles score, then stops it for 30 s. No acknowledgement while it is down; the
 * server recovers by itself (no restart); its memory stays bounded; afterwards
 * everything is stored once and identical everywhere.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlledPostgres, type ControlledPostgres } from './harness/postgres-control.js';
import { FaultRig } from './harness/rig.js';
import { until } from '../support/wait.js';

const EVENT_INTERVAL_MS = 50;
const OUTAGE_MS = Number(process.env.SCOREDESK_FAULT_PG_OUTAGE_MS ?? 30_000);
/** Server memory may grow by at most this during the outage (pending events are capped by MAX_PENDING_EVENTS). */
const OUTAGE_RSS_GROWTH_LIMIT = 150 * 1024 * 1024;
const RSS_SAMPLE_MS = 500;

let cluster: ControlledPostgres;
let url: string;
let rig: FaultRig;

beforeAll(async () => {
  cluster = await startControlledPostgres();
  url = await cluster.createDatabase('scoredesk_faults');
  rig = await FaultRig.start({ databaseUrl: url, courts: 3, viewers: 1, seed: 31 });
});

afterAll(async () => {
  await rig?.close();
  await cluster?.destroy();
});

describe('PostgreSQL restarts and outages', () => {
  for (const mode of ['fast', 'immediate'] as const) {
    it(`restart (${mode}) while scoring, with a flush stuck mid-transaction: nothing lost, nothing twice`, async () => {
      // Hold the cursor row so the server's next flush waits inside its transaction: the
      // restart then always cuts an open transaction (a checked-out connection), not only idle ones.
      const blocker = new pg.Client({ connectionString: url });
      blocker.on('error', () => {});
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query('SELECT value FROM event_cursor FOR UPDATE');
      const scorer = rig.scoreFor(3_000, EVENT_INTERVAL_MS);
      await until(
        async () => (await blocker.query('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted')).rows[0].n > 0,
        'no flush waited for the cursor row',
        10_000,
      );
      await cluster.restart(mode);
      await blocker.end().catch(() => {});
      await scorer;
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
    });
  }

  it(
    'down for 30 s: no acks while down, bounded memory, recovers by itself',
    { timeout: OUTAGE_MS + 90_000 },
    async () => {
      const server = rig.servers[0]!;
      const pid = server.pid;
      await rig.score(5, EVENT_INTERVAL_MS);
      await Promise.all(rig.consoles.map((c) => c.drained()));
      const rssBefore = server.rssBytes();

      await cluster.stop('fast');
      const downAt = Date.now();
      let rssMax = rssBefore;
      let health503 = false;
      const sampler = setInterval(() => {
        rssMax = Math.max(rssMax, server.rssBytes());
      }, RSS_SAMPLE_MS);
      try {
        const scorer = rig.scoreFor(OUTAGE_MS, EVENT_INTERVAL_MS * 2);
        // The server notices the outage (its health check): 503 before PostgreSQL returns.
        health503 = await until(
          async () => (await fetch(`${server.url}/healthz`)).status === 503,
          '/healthz 503 while PostgreSQL is down',
          OUTAGE_MS,
        ).then(
          () => true,
          () => false,
        );
        await scorer;
      } finally {
        clearInterval(sampler);
      }
      const upAt = Date.now();
      await cluster.start();

      expect(health503).toBe(true);
      const okWhileDown = rig.consoles
        .flatMap((c) => c.acks)
        .filter((a) => a.ack.ok && a.sentAt > downAt && a.receivedAt < upAt);
      expect(okWhileDown).toEqual([]);
      const refusedWhileDown = rig.consoles.flatMap((c) => c.acks).filter((a) => !a.ack.ok && a.sentAt > downAt);
      expect(refusedWhileDown.length).toBeGreaterThan(0);
      expect(rssMax - rssBefore).toBeLessThan(OUTAGE_RSS_GROWTH_LIMIT);

      await until(async () => (await fetch(`${server.url}/healthz`)).status === 200, 'server did not recover', 20_000);
      await rig.score(10, EVENT_INTERVAL_MS);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
      expect(server.pid).toBe(pid); // recovered by itself, not restarted
      expect(server.exits).toBe(0);
    },
  );
});

/**
 * Faults rows "PostgreSQL restarted" x "several server processes": with the postgres
 * adapter every process holds a LISTEN connection. A restart of PostgreSQL (fast and
 * immediate) must kill neither process, and broadcasts between the processes must
 * resume (consoles on one process, viewers on the other), with state identical everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlledPostgres, type ControlledPostgres } from './harness/postgres-control.js';
import { FaultRig } from './harness/rig.js';

const EVENT_INTERVAL_MS = 50;

let cluster: ControlledPostgres;
let rig: FaultRig;

beforeAll(async () => {
  cluster = await startControlledPostgres();
  const url = await cluster.createDatabase('scoredesk_multi_pg');
  rig = await FaultRig.start({
    databaseUrl: url,
    servers: 2,
    serverEnv: { SCOREDESK_ADAPTER: 'postgres' },
    courts: 2,
    viewers: 1,
    seed: 81,
  });
});

afterAll(async () => {
  await rig?.close();
  await cluster?.destroy();
});

describe('PostgreSQL restart under two server processes', () => {
  it(
    'five restarts in a row: the adapter still carries broadcasts between the processes',
    { timeout: 120_000 },
    async () => {
      // Each restart ends the adapter's LISTEN connection; its pool has 4 slots, so a
      // connection that is never given back would stop cross-process broadcasts by the fifth.
      for (let i = 0; i < 5; i++) {
        await cluster.restart('fast');
        // The next restart only once the adapter is back (it reconnects in about 1-3 s).
        await rig.broadcastsFlow();
      }
      await rig.score(20, EVENT_INTERVAL_MS);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
    },
  );

  for (const mode of ['fast', 'immediate'] as const) {
    it(`(${mode}) kills no process; cross-process broadcasts resume`, async () => {
      const scorer = rig.scoreFor(2_000, EVENT_INTERVAL_MS);
      await rig.acked(5); // restarted mid-scoring
      await cluster.restart(mode);
      await scorer;
      // After the adapter's reconnect, new events must still cross processes.
      await rig.broadcastsFlow();
      await rig.score(20, EVENT_INTERVAL_MS);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
      expect(rig.servers.every((s) => s.running)).toBe(true);
    });
  }
});

/**
 * Faults row "one of several server processes killed": two server processes share one
 * PostgreSQL through the postgres adapter. Consoles reach the first through the proxy,
 * viewers the second, so every broadcast crosses processes. Killing the consoles'
 * process (-9) sends them to the other one (the proxy fails over like a load
 * balancer); broadcasts continue; killing the viewers' process moves them too, and
 * they catch up by cursor. State ends identical everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { FaultRig } from './harness/rig.js';
import { until } from '../support/wait.js';

const EVENT_INTERVAL_MS = 50;

let rig: FaultRig;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('faults_multi');
  drop = db.drop;
  rig = await FaultRig.start({
    databaseUrl: db.url,
    servers: 2,
    serverEnv: { SCOREDESK_ADAPTER: 'postgres' },
    courts: 3,
    viewers: 2,
    seed: 61,
  });
});

afterAll(async () => {
  await rig?.close();
  await drop?.();
});

describe('several server processes', () => {
  it('broadcasts across processes while both run', async () => {
    await rig.score(20, EVENT_INTERVAL_MS);
    const report = await rig.verify();
    expect(report.problems).toEqual([]);
  });

  it("continues after the consoles' process is killed, then the viewers' process", async () => {
    const [first, second] = rig.servers as [(typeof rig.servers)[0], (typeof rig.servers)[0]];
    const viewerConnects = rig.viewers.map((v) => v.connects);
    const scorer = rig.scoreFor(3_000, EVENT_INTERVAL_MS);
    await rig.acked(5); // killed mid-scoring
    await first.kill9();
    await scorer;
    // Viewers were on the second process: they never had to reconnect, and still got everything.
    expect(rig.viewers.map((v) => v.connects)).toEqual(viewerConnects);
    let report = await rig.verify();
    expect(report.problems).toEqual([]);

    // Bring the first back, then kill the second: viewers and consoles move to the first.
    await first.restart();
    const scorer2 = rig.scoreFor(3_000, EVENT_INTERVAL_MS);
    await rig.acked(5);
    await second.kill9();
    await scorer2;
    await until(
      () => rig.viewers.every((v, i) => v.connects > viewerConnects[i]!),
      'viewers did not move to the surviving process',
      15_000,
    );
    report = await rig.verify();
    expect(report.problems).toEqual([]);
  });
});

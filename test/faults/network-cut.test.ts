/**
 * Faults row "network cut between console and server for minutes": scoring continues
 * offline, nothing is acknowledged while cut, and after the link heals the outbox
 * drains in order and every event is in PostgreSQL exactly once; viewers catch up.
 * Also: one-way cuts, a slow link, and the viewers' own link cut.
 * (The short suite cuts for seconds; `npm run test:faults -- --long` cuts for minutes.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { FaultRig } from './harness/rig.js';
import { until } from '../support/wait.js';

/** Long enough for several batch windows, socket.io pings and reconnect attempts to fail. */
const CUT_MS = Number(process.env.SCOREDESK_FAULT_CUT_MS ?? 8_000);
const EVENT_INTERVAL_MS = 100;
/** Each test cuts once or twice for CUT_MS, then drains: the default 60 s does not hold a two-minute cut. */
const TEST_TIMEOUT_MS = 3 * CUT_MS + 60_000;

let rig: FaultRig;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('faults_net');
  drop = db.drop;
  rig = await FaultRig.start({ databaseUrl: db.url, courts: 3, viewers: 2, seed: 11 });
});

afterAll(async () => {
  await rig?.close();
  await drop?.();
});

describe('network cut between console and server', () => {
  it(
    'keeps scoring through a cut, acknowledges nothing while cut, drains in order after',
    async () => {
      await rig.score(10, EVENT_INTERVAL_MS);
      await Promise.all(rig.consoles.map((c) => c.drained()));

      rig.consoleProxy.setMode('blackhole');
      const cutAt = Date.now();
      const before = rig.consoles.map((c) => c.log.length);
      await rig.scoreFor(CUT_MS, EVENT_INTERVAL_MS);
      const healAt = Date.now();
      // Scoring went on locally; none of it was confirmed during the cut.
      rig.consoles.forEach((c, i) => {
        expect(c.log.length).toBeGreaterThan(before[i]!);
        expect(c.ackedSeq).toBeLessThanOrEqual(before[i]!);
      });
      const okDuringCut = rig.consoles
        .flatMap((c) => c.acks)
        .filter((a) => a.ack.ok && a.sentAt > cutAt && a.receivedAt < healAt);
      expect(okDuringCut).toEqual([]);
      expect(rig.consoleProxy.stats.droppedBytes).toBeGreaterThan(0);

      rig.consoleProxy.setMode('pass');
      await rig.score(10, EVENT_INTERVAL_MS);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
      expect(Object.values(report.stored).every((n) => n >= 10 + CUT_MS / EVENT_INTERVAL_MS)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'survives one-way cuts (requests lost, then answers lost) and a slow link',
    async () => {
      for (const direction of ['up', 'down'] as const) {
        rig.consoleProxy.cut(direction);
        await rig.score(15, EVENT_INTERVAL_MS);
        rig.consoleProxy.cut(null);
        await rig.score(5, EVENT_INTERVAL_MS);
      }
      rig.consoleProxy.setDelay(250);
      await rig.score(10, EVENT_INTERVAL_MS);
      rig.consoleProxy.setDelay(0);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'viewers that lose their link catch up from their cursor, none twice',
    async () => {
      const connectsBefore = rig.viewers.map((v) => v.connects);
      rig.viewerProxy.setMode('blackhole');
      await rig.score(20, EVENT_INTERVAL_MS);
      rig.viewerProxy.setMode('pass');
      await until(
        () => rig.viewers.every((v, i) => v.connects > connectsBefore[i]!),
        'viewers did not reconnect',
        15_000,
      );
      const connectsBeforeReset = rig.viewers.map((v) => v.connects);
      rig.viewerProxy.resetAll();
      await until(
        () => rig.viewers.every((v, i) => v.connects > connectsBeforeReset[i]!),
        'viewers did not reconnect after the reset',
        15_000,
      );
      await rig.score(10, EVENT_INTERVAL_MS);
      const report = await rig.verify();
      expect(report.problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

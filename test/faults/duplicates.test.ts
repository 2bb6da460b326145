/**
 * Faults row "duplicate delivery, lost acks": the network duplicates pushes (the proxy
 * delivers the same WebSocket frame twice), acknowledgements get lost (the proxy drops
 * the server's ack frames, so the console times out and resends), a console resends
 * a range it already had confirmed, and an ack is lost together with the connection.
 * Afterwards: no duplicates anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { FaultRig } from './harness/rig.js';

const EVENT_INTERVAL_MS = 50;
/** Ack frames of the /console namespace: engine.io message (4) + socket.io ack (3). */
const isConsoleAck = (text: string) => text.startsWith('43/console,');
const isPush = (text: string) => text.startsWith('42/console,') && text.includes('"events:push"');

let rig: FaultRig;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('faults_dup');
  drop = db.drop;
  rig = await FaultRig.start({ databaseUrl: db.url, courts: 2, viewers: 2, seed: 41, ackTimeoutMs: 1_000 });
});

afterAll(async () => {
  await rig?.close();
  await drop?.();
});

describe('duplicate delivery and lost acknowledgements', () => {
  it('stores a push delivered twice once', async () => {
    const rule = rig.consoleProxy.addFrameRule({ direction: 'up', match: isPush, action: 'duplicate', remaining: 10 });
    await rig.score(20, EVENT_INTERVAL_MS);
    expect(rule.hits).toBe(10);
    const report = await rig.verify();
    expect(report.problems).toEqual([]);
  });

  it('resends after lost acks; the resend is acknowledged as a duplicate, stored once', async () => {
    const rule = rig.consoleProxy.addFrameRule({
      direction: 'down',
      match: isConsoleAck,
      action: 'drop',
      remaining: 6,
    });
    await rig.score(20, EVENT_INTERVAL_MS);
    const report = await rig.verify();
    expect(rule.hits).toBe(6);
    expect(
      rig.consoles.flatMap((c) => c.acks).filter((a) => a.ack.ok === false && a.ack.code === 'TIMEOUT').length,
    ).toBe(6);
    expect(report.problems).toEqual([]);
  });

  it('acknowledges a resend of confirmed events as duplicates without storing them again', async () => {
    for (const c of rig.consoles) {
      const ack = await c.resendRaw(1, Math.min(5, c.ackedSeq));
      expect(ack).toMatchObject({ ok: true });
      if (ack.ok) expect(ack.ackedSeq).toBeGreaterThanOrEqual(5);
    }
    const report = await rig.verify();
    expect(report.problems).toEqual([]);
  });

  it('survives an ack lost together with the connection (answers cut, then reset)', async () => {
    rig.consoleProxy.cut('down');
    await rig.score(10, EVENT_INTERVAL_MS);
    rig.consoleProxy.cut(null); // resets the broken connections: the consoles resend
    await rig.score(10, EVENT_INTERVAL_MS);
    const report = await rig.verify();
    expect(report.problems).toEqual([]);
  });
});

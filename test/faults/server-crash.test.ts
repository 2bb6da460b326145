/**
 * Faults row "server killed (-9) before commit, after commit before ack, after ack
 * before broadcast": the server process is SIGKILLed exactly at each point of the
 * pipeline (fault hooks: server/fault-hooks.ts, armed by test/support/crash-hooks.ts), and at random moments. Afterwards every
 * acknowledged event is stored once, unacknowledged ones are resent and stored once,
 * and viewers catch up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CRASH_POINTS, type CrashAt, type CrashPoint } from '../support/crash-hooks.js';
import { createTestDatabase } from '../support/postgres.js';
import { storedEvents } from './harness/checker.js';
import { FaultRig } from './harness/rig.js';
import { withDeadline } from '../support/wait.js';

const EVENT_INTERVAL_MS = 50;
/** The crash fires on this flush: some batches commit normally first. */
const CRASH_AFTER_FLUSHES = 4;
const CRASH_WAIT_MS = 20_000;

let rig: FaultRig | undefined;
let drop: (() => Promise<void>) | undefined;

afterEach(async () => {
  await rig?.close();
  await drop?.();
  rig = undefined;
});

async function startRig(crash: CrashAt | undefined, seed: number): Promise<FaultRig> {
  const db = await createTestDatabase('faults_crash');
  drop = db.drop;
  rig = await FaultRig.start({ databaseUrl: db.url, courts: 2, viewers: 1, seed, ...(crash ? { crash } : {}) });
  return rig;
}

describe('server killed with SIGKILL', () => {
  for (const point of CRASH_POINTS) {
    it(`at ${point}: acked events stored once, the rest resent and stored once`, async () => {
      const r = await startRig({ point, after: CRASH_AFTER_FLUSHES }, 20);
      const server = r.servers[0]!;
      const crashed = server.exited();
      let scoring = true;
      const scorer = (async () => {
        while (scoring) await r.score(1, EVENT_INTERVAL_MS);
      })();
      await withDeadline(crashed, CRASH_WAIT_MS, () => `crash point ${point} never fired:\n${server.logs.join('\n')}`);
      scoring = false;
      await scorer;
      expect(server.exits).toBe(1);
      await assertCrashState(r, point);

      // Restart without the crash point; consoles reconnect by themselves.
      server.crash = null;
      await server.restart();
      await r.score(10, EVENT_INTERVAL_MS);
      const report = await r.verify();
      expect(report.problems).toEqual([]);
    });
  }

  it('at random moments, three times in a row', async () => {
    const r = await startRig(undefined, 21);
    const server = r.servers[0]!;
    for (let round = 0; round < 3; round++) {
      // Killed after a seeded number of acks (5-34) in the round: mid-stream on any machine.
      const acks = 5 + Math.floor(r.random() * 30);
      const scorer = r.score(acks + 20, EVENT_INTERVAL_MS);
      await r.acked(acks);
      await server.kill9();
      await scorer;
      await server.restart();
    }
    await r.score(10, EVENT_INTERVAL_MS);
    const report = await r.verify();
    expect(report.problems).toEqual([]);
    expect(server.exits).toBe(3);
  });
});

/** Prove the crash hit where it was meant to, from what PostgreSQL and the consoles hold. */
async function assertCrashState(r: FaultRig, point: CrashPoint): Promise<void> {
  const storedMax = new Map<string, number>();
  const lastCursor = new Map<string, number>();
  for (const id of r.matchIds) {
    const events = await storedEvents(r.pool, id);
    storedMax.set(id, events.length ? Math.max(...events.map((e) => e.seq)) : 0);
    lastCursor.set(id, events.length ? events[events.length - 1]!.cursor : 0);
  }
  for (const c of r.consoles) {
    // Durability: nothing acknowledged is missing, at any crash point.
    expect(storedMax.get(c.matchId)!).toBeGreaterThanOrEqual(c.ackedSeq);
  }
  const committedNotAcked = r.consoles.some((c) => storedMax.get(c.matchId)! > c.ackedSeq);
  switch (point) {
    case 'before-commit':
      // The batch being written was rolled back by the crash: its events are only on the consoles.
      expect(r.consoles.some((c) => c.log.length > storedMax.get(c.matchId)!)).toBe(true);
      break;
    case 'after-commit-before-ack':
      // Committed but never acknowledged: the resend must be recognised as a duplicate.
      expect(committedNotAcked).toBe(true);
      break;
    case 'after-ack-before-broadcast':
      // The last committed batch was acknowledged but never broadcast: viewers are behind.
      expect(r.matchIds.some((id) => r.viewers[0]!.matches.get(id)!.lastCursor < lastCursor.get(id)!)).toBe(true);
      break;
  }
}

/**
 * Faults row "second console writing the same match: refused, visibly". A second
 * console pushing to a match another console owns is refused with a clear code and
 * none of its events is stored; after a real handover (match:claim) the old console
 * is fenced (STALE_EPOCH, match:fenced) and keeps its unsent events, while the new one
 * continues the seq chain. State stays identical everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { checkConsistency } from './harness/checker.js';
import { FaultRig, consoleSource } from './harness/rig.js';
import { until } from '../support/wait.js';

const EVENT_INTERVAL_MS = 30;

let rig: FaultRig;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('faults_2nd');
  drop = db.drop;
  rig = await FaultRig.start({ databaseUrl: db.url, courts: 1, viewers: 1, seed: 51 });
});

afterAll(async () => {
  await rig?.close();
  await drop?.();
});

describe('a second console on the same match', () => {
  it('is refused with a code, and nothing it sends is stored', async () => {
    const owner = rig.consoles[0]!;
    await rig.score(10, EVENT_INTERVAL_MS);
    await owner.drained();

    const intruder = await rig.newConsole(owner.matchId);
    rig.refusedConsoles.push(intruder);
    await until(() => intruder.connected, 'intruder did not connect', 10_000);
    // Continuing the chain with the owner's epoch, and restarting it at seq 1: both refused.
    for (let i = 0; i < 11; i++) intruder.record({ type: 'SCORE_UPDATE', payload: { side: 'away' } } as never);
    await intruder.drained();
    expect(intruder.refused).not.toBeNull();
    expect(['STALE_EPOCH', 'FORBIDDEN', 'CONFLICT', 'GAP']).toContain(intruder.refused!.code);
    expect(intruder.refused!.message.length).toBeGreaterThan(0);
    const firstTry = await intruder.resendRaw(11, 11);
    expect(firstTry.ok).toBe(false);

    await rig.score(5, EVENT_INTERVAL_MS);
    const report = await rig.verify();
    expect(report.problems).toEqual([]);
  });

  it('after a handover the old console is fenced and keeps its unsent events', async () => {
    const old = rig.consoles[0]!;
    await old.drained();
    const handedAt = old.log.length;
    const backup = await rig.newConsole(old.matchId);
    await until(() => backup.connected, 'backup did not connect', 10_000);
    const claim = await backup.takeOver(old.currentEpoch);
    expect(claim).toMatchObject({ ok: true, epoch: old.currentEpoch + 1 });
    expect(backup.log.length).toBe(handedAt);

    // The fenced console keeps scoring locally; the server refuses it.
    for (let i = 0; i < 3; i++) old.record({ type: 'SCORE_UPDATE', payload: { side: 'home' } } as never);
    await old.drained();
    expect(old.refused?.code).toBe('STALE_EPOCH');
    expect(old.log.length).toBe(handedAt + 3);

    for (let i = 0; i < 5; i++) backup.record({ type: 'SCORE_UPDATE', payload: { side: 'away' } } as never);
    await backup.drained();
    expect(backup.ackedSeq).toBe(handedAt + 5);

    // Verdict: the old console owns seqs up to the handover, the backup the rest.
    const oldSource = { ...consoleSource('old', old, 'writer'), events: old.log.slice(0, handedAt) };
    const backupSource = { ...consoleSource('backup', backup, 'writer'), ownsFromSeq: handedAt + 1 };
    await rig.settle();
    const report = await checkConsistency({
      pool: rig.pool,
      matchIds: rig.matchIds,
      consoles: [oldSource, backupSource],
      viewers: rig.viewers,
    });
    expect(report.problems).toEqual([]);
    expect(report.snapshots[old.matchId]!.epoch).toBe(claim.ok ? claim.epoch : -1);
    backup.close();
  });
});

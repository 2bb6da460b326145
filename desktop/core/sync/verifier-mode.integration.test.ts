/**
 * Verifier mode against a real server and PostgreSQL: a second console scores the official
 * console's match on its own. Its events go as the verify stream (stored apart, never in
 * match_events or the official score), it is never fenced and never claims, and the server
 * flags the disagreement after 5 s and clears it when the two agree again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFY_DISAGREE_MS } from '../../../shared/verification.js';
import { adminToken, createMatch } from '../../../test/faults/harness/api.js';
import { drained, scorePoints, SyncRig, waitForView } from '../../../test/support/console-rig.js';

let rig: SyncRig;
let admin: string;
beforeAll(async () => {
  rig = await SyncRig.start('coreverify');
  admin = await adminToken(rig.server.url);
});
afterAll(async () => rig?.close());

const live = (v: { sync: { state: string } }) => v.sync.state === 'live';

async function verificationOf(matchId: string): Promise<{ state: string } | null> {
  const res = await fetch(`${rig.server.url}/api/matches/${matchId}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  return ((await res.json()) as { verification?: { state: string } | null }).verification ?? null;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('verifier mode', () => {
  it('pushes its own stream as verify, never fenced, and the server compares it', async () => {
    const match = await createMatch(rig.server.url, admin);
    const official = await rig.core();
    await waitForView(official, live, 20_000, 'official console online');
    await waitForView(official, (v) => v.schedule.some((s) => s.meta.id === match.id), 20_000, 'schedule');
    expect(await official.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
    await official.run('start', {});
    await scorePoints(official, 'home', 2);
    await waitForView(official, drained, 20_000, 'official drained');

    const verifier = await rig.core();
    await waitForView(verifier, live, 20_000, 'verifier online');
    await waitForView(verifier, (v) => v.schedule.some((s) => s.meta.id === match.id), 20_000, 'verifier schedule');
    expect(await verifier.run('verifyMatch', { matchId: match.id })).toMatchObject({ ok: true, matchId: match.id });
    // A verifier never claims.
    expect(await verifier.run('claimMatch', { matchId: match.id })).toMatchObject({ ok: false, code: 'CONFLICT' });
    await verifier.run('start', {});
    await scorePoints(verifier, 'home', 2);
    let vv = await waitForView(verifier, drained, 20_000, 'verifier drained');
    expect(vv.info).toMatchObject({ stream: 'verify', writable: true, matchId: match.id });
    expect(vv.sync.problem).toBeNull();
    expect(vv.snapshot?.seq).toBe(3);
    await until(async () => (await verificationOf(match.id))?.state === 'agree', 20_000, 'agree');

    // The verifier sees an away point the official console has not scored: unverified after 5 s.
    await scorePoints(verifier, 'away');
    vv = await waitForView(verifier, drained, 20_000, 'verifier drained again');
    await until(
      async () => (await verificationOf(match.id))?.state === 'disagree',
      VERIFY_DISAGREE_MS + 15_000,
      'disagree',
    );
    // The official console scores it too: they agree again.
    await scorePoints(official, 'away');
    await waitForView(official, drained, 20_000, 'official drained again');
    await until(async () => (await verificationOf(match.id))?.state === 'agree', 20_000, 'agree again');

    // Neither console was fenced; the official log holds only the official console's events.
    for (const core of [official, verifier]) {
      const v = await core.view();
      expect(v.sync.state).toBe('live');
      expect(v.info.writable).toBe(true);
    }
    const rows = await rig.stored(match.id);
    expect(rows.map((r) => [r.seq, r.console_id])).toEqual([1, 2, 3, 4].map((seq) => [seq, official.consoleId]));
    const verify = await rig.pool.query<{ seq: number; console_id: string }>(
      'SELECT seq, console_id::text FROM match_verify_events WHERE match_id = $1 ORDER BY seq',
      [match.id],
    );
    expect(verify.rows.map((r) => [r.seq, r.console_id])).toEqual([1, 2, 3, 4].map((seq) => [seq, verifier.consoleId]));
  });
});

/**
 * Two consoles, one match, real server and PostgreSQL: the second console is refused
 * visibly until it claims; a claim fences the first, whose unsent events stay for review;
 * a fresh console continues from the right seq; a director's handover (match:assigned /
 * match:fenced) moves writing without losing an event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createMatch } from '../../../test/faults/harness/api.js';
import { TcpProxy } from '../../../test/faults/harness/tcp-proxy.js';
import type { ConsoleCore } from '../console-core.js';
import { drained, SyncRig, waitForView } from '../../../test/support/console-rig.js';

let rig: SyncRig;
let admin: string;
beforeAll(async () => {
  rig = await SyncRig.start('corehandover');
  admin = await adminToken(rig.server.url);
});
afterAll(async () => rig?.close());

async function points(core: ConsoleCore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await core.run('score', { side: i % 2 ? 'away' : 'home' });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
}

const live = (v: { sync: { state: string } }) => v.sync.state === 'live';

describe('handover between consoles', () => {
  it('refuses a second console visibly, fences the first on claim and keeps its unsent events for review', async () => {
    const match = await createMatch(rig.server.url, admin);
    const proxy = await TcpProxy.start([{ host: '127.0.0.1', port: rig.server.port }]);
    try {
      const a = await rig.core({ serverUrl: proxy.url });
      await waitForView(a, live, 20_000, 'console A online');
      // The schedule lists the server's match for the court.
      await waitForView(a, (v) => v.schedule.some((s) => s.meta.id === match.id), 20_000, 'schedule');
      expect(await a.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
      await a.run('start', {});
      await points(a, 10);
      await waitForView(a, drained, 20_000, 'A drained');

      // A second console opens the same match: read-only, and it says why.
      const b = await rig.core();
      await waitForView(b, live, 20_000, 'console B online');
      expect(await b.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
      let bv = await b.view();
      expect(bv.info.writable).toBe(false);
      expect(bv.snapshot?.seq).toBe(11);
      expect(bv.sync.problem).toMatchObject({ code: 'STALE_EPOCH', matchId: match.id });
      expect(bv.sync.state).toBe('fenced');
      expect(await b.run('score', { side: 'home' })).toMatchObject({ ok: false, code: 'STALE_EPOCH' });

      // A loses the network and keeps scoring; meanwhile B takes the match over.
      proxy.setMode('refuse');
      proxy.resetAll();
      await waitForView(a, (v) => v.sync.state === 'offline' || v.sync.state === 'connecting', 20_000, 'A offline');
      await points(a, 5);
      expect(await b.run('claimMatch', { matchId: match.id })).toMatchObject({ ok: true, matchId: match.id });
      bv = await b.view();
      expect(bv.info.writable).toBe(true);
      expect(bv.sync.problem).toBeNull();
      await points(b, 3);
      bv = await waitForView(b, drained, 20_000, 'B drained');
      expect(bv.snapshot?.seq).toBe(14);

      // A comes back: its pushes are refused, the match turns read-only, its 5 events stay unconfirmed.
      proxy.setMode('pass');
      const av = await waitForView(a, (v) => v.sync.state === 'fenced', 30_000, 'A fenced');
      expect(av.info.writable).toBe(false);
      expect(av.sync.problem).toMatchObject({ code: 'STALE_EPOCH', matchId: match.id });
      expect(av.sync.pending).toBe(5);
      expect(av.log.filter((l) => !l.confirmed).map((l) => l.event.seq)).toEqual([12, 13, 14, 15, 16]);
      expect(await a.run('score', { side: 'home' })).toMatchObject({ ok: false, code: 'STALE_EPOCH' });

      const rows = await rig.stored(match.id);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
      expect(rows.slice(0, 11).every((r) => r.console_id === a.consoleId)).toBe(true);
      expect(rows.slice(11).every((r) => r.console_id === b.consoleId && r.epoch === 1)).toBe(true);

      // A claims it back: its overtaken events are set aside (kept, never sent), it continues at 15.
      expect(await a.run('claimMatch', { matchId: match.id })).toMatchObject({ ok: true });
      const back = await a.view();
      expect(back.info.writable).toBe(true);
      expect(back.setAside?.map((s) => s.event.seq)).toEqual([12, 13, 14, 15, 16]);
      expect(back.snapshot?.seq).toBe(14);
      expect(await a.run('score', { side: 'away' })).toMatchObject({ ok: true, seq: 15 });
      await waitForView(a, drained, 20_000, 'A drained again');
      // A's claim fenced B at once (match:fenced): B is read-only before it scores anything.
      bv = await waitForView(b, (v) => v.sync.state === 'fenced' && !v.info.writable, 20_000, 'B fenced');
      expect(bv.sync.problem).toMatchObject({ matchId: match.id });
      expect(bv.sync.pending).toBe(0);
      expect(await b.run('score', { side: 'home' })).toMatchObject({ ok: false, code: 'STALE_EPOCH' });
      expect((await rig.stored(match.id)).map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    } finally {
      await proxy.close();
    }
  });

  it('a fresh console assigned by the director pulls the history and continues from the right seq', async () => {
    const match = await createMatch(rig.server.url, admin, { sport: 'volleyball' });
    const a = await rig.core();
    await waitForView(a, live, 20_000, 'A online');
    await a.run('openMatch', { matchId: match.id });
    await a.run('start', {});
    await points(a, 7);
    await waitForView(a, drained, 20_000, 'A drained');

    const fresh = await rig.core();
    await waitForView(fresh, live, 20_000, 'fresh console online');
    const res = await fetch(`${rig.server.url}/api/matches/${match.id}/handover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ consoleId: fresh.consoleId }),
    });
    expect(res.status).toBe(200);
    const fv = await waitForView(fresh, (v) => v.info.matchId === match.id && v.info.writable, 20_000, 'assigned');
    expect(fv.snapshot?.seq).toBe(8);
    expect(fv.log.every((l) => l.confirmed)).toBe(true);
    await waitForView(a, (v) => v.sync.state === 'fenced', 20_000, 'A fenced by the handover');
    expect(await fresh.run('score', { side: 'home' })).toMatchObject({ ok: true, seq: 9 });
    await waitForView(fresh, drained, 20_000, 'fresh drained');
    const rows = await rig.stored(match.id);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(rows.at(-1)!.console_id).toBe(fresh.consoleId);
    // Same history, same state on both consoles and the server.
    expect((await a.view()).snapshot?.home.score).toBe(fv.snapshot!.home.score);
  });
});

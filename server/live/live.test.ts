/** /live against a real server: snapshots, ordered updates with linked baseCursor, catch-up from `since`, courts. */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSocket,
  recordUpdates,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';
import { until } from '../../test/support/wait.js';

let server: TestServer;
let scorer: string;
let viewer: string;
let pool: pg.Pool;
const sockets: Socket[] = [];

async function open(nsp: '/console' | '/live', token: string) {
  const s = await connectSocket(server.url, nsp, token, { consoleId: randomUUID() });
  sockets.push(s);
  return s;
}

/** Every update links to the previous one of its match, and no event arrives twice. */
function expectLinked(updates: any[], matchId: string, startCursor: number) {
  let previous = startCursor;
  const seqs: number[] = [];
  for (const u of updates.filter((x) => x.matchId === matchId)) {
    expect(u.baseCursor).toBe(previous);
    expect(u.cursor).toBe(u.events[u.events.length - 1].cursor);
    expect(u.snapshot.cursor).toBe(u.cursor);
    previous = u.cursor;
    seqs.push(...u.events.map((e: any) => e.seq));
  }
  return seqs;
}

beforeAll(async () => {
  server = await startTestServer();
  scorer = await server.userToken('scorer');
  viewer = await server.userToken('viewer');
  pool = new pg.Pool({ connectionString: server.databaseUrl, max: 2 });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await pool.end();
  await server.stop();
});

describe('handshake', () => {
  it('refuses a missing, forged or alg:none token and a wrong protocol before connecting', async () => {
    await expect(connectSocket(server.url, '/live', undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectSocket(server.url, '/live', viewer + 'x')).rejects.toThrow('UNAUTHORIZED');
    const [, body] = viewer.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`;
    await expect(connectSocket(server.url, '/live', none)).rejects.toThrow('UNAUTHORIZED');
    await expect(connectSocket(server.url, '/live', viewer, { protocol: 2 })).rejects.toThrow('PROTOCOL');
    const ok = await open('/live', viewer);
    expect(ok.connected).toBe(true);
  });
});

describe('SUBSCRIBE_MATCH', () => {
  it('acks a snapshot, then delivers every committed batch in order with linked cursors', async () => {
    const match = await server.createMatch();
    const live = await open('/live', viewer);
    const rec = recordUpdates(live);
    const sub = await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id });
    expect(sub).toMatchObject({ ok: true, snapshot: { id: match.id, cursor: 0 }, freshness: { lastEventAt: null } });
    const c = await open('/console', scorer);
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    for (let seq = 2; seq <= 20; seq += 3)
      await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(seq, 3) });
    await rec.waitForSeq(match.id, 22);
    const seqs = expectLinked(rec.updates, match.id, 0);
    expect(seqs).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    // Viewers never see an event that is not stored.
    const { rows } = await pool.query('SELECT "cursor" FROM match_events WHERE match_id = $1 ORDER BY seq', [match.id]);
    expect(rec.events().map((e: any) => e.cursor)).toEqual(rows.map((r) => r.cursor));
    const last = rec.updates[rec.updates.length - 1];
    expect(last.freshness.consoleOnline).toBe(true);
    expect(last.snapshot.home.score).toBe(21);
  });

  it('refuses unknown matches and bad input', async () => {
    const live = await open('/live', viewer);
    expect(await request(live, 'SUBSCRIBE_MATCH', { matchId: 'nope' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_MATCH',
    });
    const bad = await request(live, 'SUBSCRIBE_MATCH', { matchId: 'x', since: -1 });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(bad.message).toContain('since');
  });

  it('a viewer that disconnects mid-stream catches up from `since`: nothing lost, nothing twice', async () => {
    const match = await server.createMatch();
    const c = await open('/console', scorer);
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const live1 = await open('/live', viewer);
    const rec1 = recordUpdates(live1);
    const first = await request(live1, 'SUBSCRIBE_MATCH', { matchId: match.id });
    let seq = 2;
    // Scoring continues in the background while the viewer drops out and comes back.
    const scoring = (async () => {
      for (let i = 0; i < 30; i++) {
        await request(c, 'events:push', {
          matchId: match.id,
          epoch: 0,
          events: scoreEvents(seq, 2, i % 2 ? 'home' : 'away'),
        });
        seq += 2;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await rec1.waitForSeq(match.id, 9);
    live1.close();
    const seen1 = expectLinked(rec1.updates, match.id, first.snapshot.cursor);
    const since = rec1.updates.filter((u) => u.matchId === match.id).at(-1).cursor;
    // Back only once the match moved on without it (there is something to catch up).
    const awayAt = seq;
    await until(() => seq >= awayAt + 6, 'events scored while the viewer was away');
    const live2 = await open('/live', viewer);
    const rec2 = recordUpdates(live2);
    const ack = await request(live2, 'SUBSCRIBE_MATCH', { matchId: match.id, since });
    expect(ack.ok).toBe(true);
    await scoring;
    await rec2.waitForSeq(match.id, seq - 1);
    const seen2 = expectLinked(rec2.updates, match.id, since);
    expect([...seen1, ...seen2]).toEqual(Array.from({ length: seq - 2 }, (_, i) => i + 2));
  });

  it('a subscribe with since=0 pages the whole history with snapshots as of each page', async () => {
    const match = await server.createMatch();
    const c = await open('/console', scorer);
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1), ...scoreEvents(2, 5)] });
    const live = await open('/live', viewer);
    const rec = recordUpdates(live);
    await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id, since: 0 });
    await rec.waitForSeq(match.id, 6);
    expect(expectLinked(rec.updates, match.id, 0)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rec.updates[0].snapshot.home.score).toBe(5);
  });
});

describe('SUBSCRIBE_COURTS', () => {
  it('returns the court snapshots and follows new matches on the court', async () => {
    const court = `Court-${randomUUID().slice(0, 6)}`;
    const first = await server.createMatch({ court });
    const live = await open('/live', viewer);
    const rec = recordUpdates(live);
    const courtUpdates: any[] = [];
    live.on('COURT_UPDATE', (u) => courtUpdates.push(u));
    const ack = await request(live, 'SUBSCRIBE_COURTS', { courts: [court] });
    expect(ack.ok).toBe(true);
    expect(ack.snapshots.map((s: any) => s.id)).toEqual([first.id]);
    const second = await server.createMatch({ court });
    const other = await server.createMatch({ court: 'elsewhere' });
    const c = await open('/console', scorer);
    await request(c, 'events:push', { matchId: second.id, epoch: 0, events: [startEvent(1)] });
    await request(c, 'events:push', { matchId: other.id, epoch: 0, events: [startEvent(1)] });
    await rec.waitForSeq(second.id, 1);
    expect(courtUpdates.map((u) => u.snapshot.id)).toEqual([second.id]);
    expect(rec.updates.some((u) => u.matchId === other.id)).toBe(false);
    const unsub = await request(live, 'UNSUBSCRIBE_MATCH', { matchId: second.id });
    expect(unsub).toEqual({ ok: true });
  });
});

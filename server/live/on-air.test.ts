/**
 * The broadcast window against a real server: a lone event goes on air right after its
 * commit, a burst is coalesced into one update per window, viewers that join while
 * updates flow (with and without `since`, per match, per court, in frames) miss nothing
 * and get nothing twice, and a court wall in frames mode gets one frame per window.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectSocket,
  recordUpdates,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
} from '../../test/support/server.js';
import type { TestServer } from '../../test/support/server.js';

const sockets: Socket[] = [];
const servers: TestServer[] = [];

async function serverWithWindow(batchWindowMs: number) {
  const server = await startTestServer({ config: { batchWindowMs } });
  servers.push(server);
  return server;
}

async function open(server: TestServer, nsp: '/console' | '/live', token = server.adminToken) {
  const s = await connectSocket(server.url, nsp, token, { consoleId: randomUUID() });
  sockets.push(s);
  return s;
}

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const s of servers) await s.stop();
});

interface Update {
  matchId: string;
  baseCursor: number;
  cursor: number;
  events: { seq: number; cursor: number }[];
  snapshot: { cursor: number };
}

/** Each update links to the one before (from `start`), and the seqs seen are exactly from..to. */
function expectExact(updates: Update[], start: number, from: number, to: number) {
  let previous = start;
  const seqs: number[] = [];
  for (const u of updates) {
    expect(u.baseCursor).toBe(previous);
    expect(u.snapshot.cursor).toBe(u.cursor);
    expect(u.events.at(-1)!.cursor).toBe(u.cursor);
    previous = u.cursor;
    seqs.push(...u.events.map((e) => e.seq));
  }
  expect(seqs).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

describe('the broadcast window', () => {
  /** Long enough that "before the window ends" cannot be luck. */
  const WINDOW_MS = 4_000;
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithWindow(WINDOW_MS);
  });

  it('a lone event is on air before the window ends; later commits in that window come as one update', async () => {
    const match = await server.createMatch();
    const live = await open(server, '/live');
    const rec = recordUpdates(live);
    const ack = await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id });
    const c = await open(server, '/console');
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    await vi.waitFor(() => expect(rec.updates).toHaveLength(1), { timeout: WINDOW_MS / 2, interval: 10 });
    // Three more commits inside the same window: acknowledged at once, on air together when it ends.
    for (let seq = 2; seq <= 4; seq++)
      expect(
        await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(seq, 1) }),
      ).toMatchObject({ ok: true, ackedSeq: seq });
    expect(rec.updates).toHaveLength(1);
    await vi.waitFor(() => expect(rec.updates).toHaveLength(2), { timeout: WINDOW_MS * 2, interval: 20 });
    expectExact(rec.updates, ack.snapshot.cursor, 1, 4);
    expect(rec.updates[1].events.map((e: { seq: number }) => e.seq)).toEqual([2, 3, 4]);
  });
});

describe('joining while updates flow', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithWindow(100);
  });

  it('match, court and frame subscribers joining at any moment miss nothing and get nothing twice', async () => {
    const court = `join-${randomUUID().slice(0, 6)}`;
    const match = await server.createMatch({ court });
    const c = await open(server, '/console');
    await request(c, 'events:push', { matchId: match.id, epoch: 0, events: [startEvent(1)] });
    const TOTAL = 240;
    let sent = 1;
    const scoring = (async () => {
      while (sent < TOTAL) {
        const n = Math.min(3, TOTAL - sent);
        await request(c, 'events:push', { matchId: match.id, epoch: 0, events: scoreEvents(sent + 1, n) });
        sent += n;
      }
    })();

    type Joined = { updates: Update[]; start: number; from: number };
    const joined: Promise<Joined>[] = [];
    // Join at different points of the stream, each way a client can.
    while (sent < TOTAL - 30) {
      const at = sent;
      const live = await open(server, '/live');
      const kind = joined.length % 4;
      if (kind === 0) {
        const rec = recordUpdates(live);
        const ack = await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id });
        joined.push(Promise.resolve({ updates: rec.updates, start: ack.snapshot.cursor, from: ack.snapshot.seq + 1 }));
      } else if (kind === 1) {
        // With `since`: an older cursor this viewer had, so a catch-up is needed while live updates flow.
        const rec = recordUpdates(live);
        const page = await server.http(
          'GET',
          `/api/matches/${match.id}/events?after=0&limit=${Math.max(1, at - 10)}`,
          undefined,
          server.adminToken,
        );
        const rows = (page.body as { events: { cursor: number; seq: number }[] }).events;
        const since = rows.at(-1)!;
        await request(live, 'SUBSCRIBE_MATCH', { matchId: match.id, since: since.cursor });
        joined.push(Promise.resolve({ updates: rec.updates, start: since.cursor, from: since.seq + 1 }));
      } else {
        const updates: Update[] = [];
        const frames = kind === 3;
        if (frames) live.on('MATCH_UPDATES', (f: { updates: Update[] }) => updates.push(...f.updates));
        else live.on('MATCH_UPDATE', (u: Update) => updates.push(u));
        const ack = await request(live, 'SUBSCRIBE_COURTS', { courts: [court], frames });
        const snap = ack.snapshots.find((s: { id: string }) => s.id === match.id);
        joined.push(Promise.resolve({ updates, start: snap.cursor, from: snap.seq + 1 }));
      }
      await vi.waitFor(() => expect(sent).toBeGreaterThan(at + 15), { timeout: 10_000, interval: 2 });
    }
    await scoring;
    const all = await Promise.all(joined);
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const j of all) {
      await vi.waitFor(() => expect(j.updates.at(-1)?.events.at(-1)?.seq).toBe(TOTAL), { timeout: 10_000 });
      expectExact(
        j.updates.filter((u) => u.matchId === match.id),
        j.start,
        j.from,
        TOTAL,
      );
    }
  });
});

describe('a court wall in frames mode', () => {
  const WINDOW_MS = 300;
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithWindow(WINDOW_MS);
  });

  it('gets at most one frame per window carrying every court, each match linked', async () => {
    const courts = Array.from({ length: 6 }, (_, i) => `wall-${randomUUID().slice(0, 4)}-${i}`);
    const matches = await Promise.all(courts.map((court) => server.createMatch({ court })));
    const wall = await open(server, '/live');
    const frames: { at: number; updates: Update[] }[] = [];
    let single = 0;
    wall.on('MATCH_UPDATES', (f: { updates: Update[] }) => frames.push({ at: performance.now(), updates: f.updates }));
    wall.on('MATCH_UPDATE', () => single++);
    const ack = await request(wall, 'SUBSCRIBE_COURTS', { courts, frames: true });
    const consoles = await Promise.all(matches.map(() => open(server, '/console')));
    const PUSHES = 25;
    await Promise.all(
      matches.map(async (m, i) => {
        await request(consoles[i]!, 'events:push', { matchId: m.id, epoch: 0, events: [startEvent(1)] });
        for (let seq = 2; seq <= PUSHES; seq++)
          await request(consoles[i]!, 'events:push', { matchId: m.id, epoch: 0, events: scoreEvents(seq, 1) });
      }),
    );
    await vi.waitFor(
      () => {
        for (const m of matches)
          expect(
            frames.flatMap((f) => f.updates).some((u) => u.matchId === m.id && u.events.at(-1)!.seq === PUSHES),
          ).toBe(true);
      },
      { timeout: 10_000 },
    );
    expect(single).toBe(0);
    for (const m of matches) {
      const start = ack.snapshots.find((s: { id: string }) => s.id === m.id).cursor;
      const updates = frames.flatMap((f) => f.updates).filter((u) => u.matchId === m.id);
      expectExact(updates, start, 1, PUSHES);
      // One update per match per frame at most.
      for (const f of frames) expect(f.updates.filter((u) => u.matchId === m.id).length).toBeLessThanOrEqual(1);
    }
    // Several courts share a frame, and frames are a window apart (the server never sends two sooner).
    expect(frames.some((f) => f.updates.length > 1)).toBe(true);
    const span = frames.at(-1)!.at - frames[0]!.at;
    expect(frames.length).toBeLessThanOrEqual(Math.floor(span / WINDOW_MS) + 2);
  });
});

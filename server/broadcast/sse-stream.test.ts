/**
 * The SSE handler over real HTTP on loopback, fed by an in-memory pipeline stub; then
 * resuming with Last-Event-ID against the real server (a child process) and PostgreSQL,
 * with fetch and with curl (the real pipeline is also covered in test/e2e/overlays-feeds.test.ts).
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { ConsolePresence, Freshness, MatchUpdate } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { BoundedWriter, parseLastEventId, SSE_RESUME_MAX_EVENTS, sseEvent, streamHandler } from './sse-stream.js';
import { call, createMatch } from '../../test/support/broadcast/api-client.js';
import { buildScene, type BroadcastScene } from '../../test/support/broadcast/fixture.js';
import { openSse, parseSseText, type SseEvent, type SseReader } from '../../test/support/broadcast/sse-reader.js';
import { snapshot } from '../../test/support/broadcast/snapshots.js';

const storedEvent = (s: MatchSnapshot): StoredEvent =>
  ({
    cursor: s.cursor,
    matchId: s.id,
    consoleId: 'c',
    seq: s.cursor,
    epoch: 1,
    type: 'SCORE_UPDATE',
    payload: { side: 'home' },
    at: '2030-01-01T00:00:00.000Z',
  }) as StoredEvent;

const ONLINE: Freshness = { lastEventAt: null, lastStoredAt: null, consoleOnline: true };
const WAIT = { timeout: 5_000, interval: 20 };

function pipeline(initial: MatchSnapshot[]) {
  const updates = new Set<(u: MatchUpdate) => void>();
  const presences = new Set<(p: ConsolePresence) => void>();
  const created = new Set<(s: MatchSnapshot) => void>();
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const deps: BroadcastDeps = {
    pool: null as never,
    authenticate: async () => null,
    listSnapshots: async (filter) => {
      await gate;
      return initial.filter((s) => !filter?.court || s.court === filter.court);
    },
    getSnapshot: async (id) => initial.find((s) => s.id === id) ?? null,
    freshness: async () => ONLINE,
    onUpdate: (l) => (updates.add(l), () => updates.delete(l)),
    onPresence: (l) => (presences.add(l), () => presences.delete(l)),
    onMatch: (l) => (created.add(l), () => created.delete(l)),
    listPresence: async () => [],
    settings: { adminUiEnabled: false, consoleOfflineAlertMs: 1000, backlogAlertEvents: 10 },
  };
  return {
    deps,
    listeners: () => updates.size + presences.size + created.size,
    /** Make listSnapshots wait until release() (to commit "during" the initial read). */
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
    /** On air: the update carries one event, at the snapshot's cursor (cursors are gapless, as stored). */
    update: (s: MatchSnapshot) =>
      updates.forEach((l) =>
        l({ matchId: s.id, baseCursor: 0, cursor: s.cursor, events: [storedEvent(s)], snapshot: s, freshness: ONLINE }),
      ),
    presence: (p: Partial<ConsolePresence>) => presences.forEach((l) => l(p as ConsolePresence)),
    create: (s: MatchSnapshot) => created.forEach((l) => l(s)),
  };
}

const servers: http.Server[] = [];
const readers: SseReader[] = [];
afterEach(async () => {
  readers.splice(0).forEach((r) => r.close());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(deps: BroadcastDeps): Promise<string> {
  const app = express();
  app.get('/stream', streamHandler(deps, { heartbeatMs: 50 }));
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  const reader = await openSse(url, headers);
  readers.push(reader);
  return reader;
}

const parsed = (r: SseReader) => r.events.map((e) => JSON.parse(e.data) as MatchSnapshot & { freshness: Freshness });

describe('streamHandler', () => {
  it('sends the court snapshots, then changes, never an older or equal cursor, with heartbeats', async () => {
    const a = snapshot({ id: 'a', court: '1', cursor: 5 });
    const b = snapshot({ id: 'b', court: '2', cursor: 6 });
    const p = pipeline([a, b]);
    const reader = await open(`${await serve(p.deps)}/stream?court=1`);
    await vi.waitFor(() => expect(parsed(reader).map((s) => s.id)).toEqual(['a']), WAIT);
    p.update({ ...a, cursor: 4 }); // older: dropped
    p.update({ ...a, cursor: 5 }); // same: dropped
    p.update({ ...b, cursor: 6 }); // other court: dropped
    p.update({ ...a, cursor: 7, home: { name: 'Home', score: 1 } });
    await vi.waitFor(() => expect(parsed(reader).map((s) => s.cursor)).toEqual([5, 7]), WAIT);
    expect(reader.events.map((e) => e.id)).toEqual(['5', '7']); // the cursor each brings the client to
    expect(reader.events.every((e) => e.event === 'snapshot')).toBe(true);
    expect(parsed(reader)[1]?.freshness).toEqual(ONLINE);
    await vi.waitFor(() => expect(reader.comments).toContain('heartbeat'), WAIT);
  });

  it('loses nothing committed while it reads the initial snapshots', async () => {
    const a = snapshot({ id: 'a', cursor: 5 });
    const p = pipeline([a]);
    p.hold();
    const base = await serve(p.deps);
    const reader = open(`${base}/stream`);
    await vi.waitFor(() => expect(p.listeners()).toBe(3), WAIT);
    p.update({ ...a, cursor: 6 }); // committed after the read began
    p.release();
    const r = await reader;
    await vi.waitFor(() => expect(parsed(r).map((s) => s.cursor)).toEqual([5, 6]), WAIT);
  });

  it('re-sends a match when its console goes away or comes back, and announces new matches', async () => {
    const a = snapshot({ id: 'a', cursor: 5 });
    const p = pipeline([a]);
    const reader = await open(`${await serve(p.deps)}/stream`);
    await vi.waitFor(() => expect(reader.events).toHaveLength(1), WAIT);
    p.presence({ matchId: 'a', online: true }); // no change: nothing sent
    p.presence({ matchId: 'zz', online: false }); // unknown match: nothing
    p.presence({ matchId: 'a', online: false });
    await vi.waitFor(() => expect(parsed(reader).map((s) => s.freshness.consoleOnline)).toEqual([true, false]), WAIT);
    p.create(snapshot({ id: 'new', cursor: 0 }));
    await vi.waitFor(() => expect(parsed(reader).at(-1)?.id).toBe('new'), WAIT);
  });

  it('stops listening when the client goes away', async () => {
    const p = pipeline([snapshot()]);
    const reader = await open(`${await serve(p.deps)}/stream`);
    await vi.waitFor(() => expect(reader.events).toHaveLength(1), WAIT);
    expect(p.listeners()).toBe(3);
    reader.close();
    await vi.waitFor(() => expect(p.listeners()).toBe(0), WAIT);
  });

  it('refuses a bad court with VALIDATION', async () => {
    const res = await fetch(`${await serve(pipeline([]).deps)}/stream?court=`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION', message: expect.stringContaining('court') },
    });
  });
});

describe('BoundedWriter', () => {
  it('keeps only the latest text per match while the client does not read, then flushes in order', () => {
    const written: string[] = [];
    let full = false;
    const res = Object.assign(new EventEmitter(), {
      write: (text: string) => (written.push(text), !full),
    });
    const writer = new BoundedWriter(res as never);
    writer.send('a', 'a1');
    full = true;
    writer.send('b', 'b1'); // written, but the socket is now full
    for (let i = 2; i < 10_000; i++) writer.send('a', `a${i}`); // a client that never reads
    writer.send('c', 'c1');
    writer.heartbeat(); // skipped while full
    expect(written).toEqual(['a1', 'b1']);
    full = false;
    res.emit('drain');
    expect(written).toEqual(['a1', 'b1', 'a9999', 'c1']);
  });
});

describe('sseEvent', () => {
  it('frames one event with a single data line even for text with line breaks', () => {
    const data = { matchId: 'two\nlines\r\n', cursor: 3, freshness: null };
    const text = sseEvent('freshness', data);
    expect(text).toBe('event: freshness\ndata: {"matchId":"two\\nlines\\r\\n","cursor":3,"freshness":null}\n\n');
    expect(sseEvent('freshness', data, 12)).toBe(`id: 12\nevent: freshness\ndata: ${JSON.stringify(data)}\n\n`);
  });
});

describe('parseLastEventId', () => {
  it('takes a cursor, treats absent or empty as a fresh start and refuses anything else', () => {
    expect(parseLastEventId(undefined)).toEqual({ ok: true, cursor: null });
    expect(parseLastEventId(' ')).toEqual({ ok: true, cursor: null });
    expect(parseLastEventId('42')).toEqual({ ok: true, cursor: 42 });
    for (const bad of ['-1', '1.5', 'abc', '12abc', '1e3', '9'.repeat(16)])
      expect(parseLastEventId(bad), bad).toMatchObject({
        ok: false,
        message: expect.stringContaining('Last-Event-ID'),
      });
  });
});

// ---- against the real server and PostgreSQL ---------------------------------------

type StreamData = MatchSnapshot & { freshness: Freshness; events?: StoredEvent[]; baseCursor?: number | null };

/** The events of the followed matches after a cursor, from the store (GET .../events): the truth. */
async function storedAfter(base: string, token: string, matchIds: string[], after: number): Promise<number[]> {
  const cursors: number[] = [];
  for (const id of matchIds) {
    const page = await call<{ events: StoredEvent[] }>(base, 'GET', `/api/matches/${id}/events?after=${after}`, token);
    cursors.push(...page.events.map((e) => e.cursor));
  }
  return cursors.sort((a, b) => a - b);
}

/** Every cursor the update events of a stream brought, in the order they came. */
const delivered = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === 'snapshot')
    .flatMap((e) => (JSON.parse(e.data) as StreamData).events ?? [])
    .map((e) => e.cursor);

/** An update event's id is the cursor of its last event, which is the snapshot's cursor. */
function expectIdsAreCursors(events: SseEvent[]): void {
  for (const e of events) {
    expect(e.id, `${e.event} ${e.data}`).toMatch(/^\d+$/);
    if (e.event !== 'snapshot') continue;
    const data = JSON.parse(e.data) as StreamData;
    if (data.events?.length) expect(Number(e.id)).toBe(data.events.at(-1)!.cursor);
    expect(data.cursor).toBeLessThanOrEqual(Number(e.id));
  }
}

describe('resuming with Last-Event-ID (real server, PostgreSQL)', () => {
  let scene: BroadcastScene;
  let second: MatchSnapshot; // a second match on court A1, so updates of two matches interleave
  let tooOld: MatchSnapshot;
  beforeAll(async () => {
    scene = await buildScene('sse_resume');
    second = await createMatch(scene.server.url, scene.admin, {
      sport: 'basketball',
      court: 'A1',
      home: 'North',
      away: 'South',
    });
    tooOld = await createMatch(scene.server.url, scene.admin, { sport: 'generic', court: 'C3', home: 'X', away: 'Y' });
  }, 60_000);
  afterAll(async () => {
    await scene?.close();
  });

  const streamUrl = (court: string) => `${scene.server.url}/api/stream?court=${court}`;
  const auth = () => ({ authorization: `Bearer ${scene.viewer}` });
  const a1 = () => [scene.volley.id, scene.later.id, second.id];

  it('every event has the id it brings the client to; a reconnect gets exactly the missed updates, then live ones', async () => {
    const { desk, volley } = scene;
    const first = await open(streamUrl('A1'), auth());
    await vi.waitFor(() => expect(first.events).toHaveLength(3), WAIT);
    // The initial snapshots: in cursor order, each with its own cursor as id.
    expect(first.events.map((e) => e.id)).toEqual(
      first.events.map((e) => String((JSON.parse(e.data) as StreamData).cursor)).sort((a, b) => Number(a) - Number(b)),
    );
    const live = await desk.point(volley.id, 'home');
    await vi.waitFor(() => expect(first.events.at(-1)?.id).toBe(String(live)), WAIT);
    expectIdsAreCursors(first.events);
    const lastId = Number(first.events.at(-1)!.id);
    first.close();

    // While nobody listens: two matches of A1 interleave, and another court moves on.
    await desk.start(second.id);
    await desk.point(volley.id, 'away', 2);
    await desk.pushOk(second.id, [{ type: 'SCORE_UPDATE', payload: { side: 'home', points: 2 } }]);
    await desk.point(scene.basket.id, 'home');
    await desk.point(volley.id, 'home');
    const missed = await storedAfter(scene.server.url, scene.admin, a1(), lastId);
    expect(missed.length).toBeGreaterThanOrEqual(5);

    // Reconnect while points keep coming: none lost, none twice, in cursor order.
    const [resumed] = await Promise.all([
      open(streamUrl('A1'), { ...auth(), 'last-event-id': String(lastId) }),
      desk.point(second.id, 'away'),
    ]);
    const more = await desk.point(volley.id, 'away');
    await vi.waitFor(() => expect(delivered(resumed.events).at(-1)).toBe(more), WAIT);
    const expected = await storedAfter(scene.server.url, scene.admin, a1(), lastId);
    expect(delivered(resumed.events)).toEqual(expected);
    expectIdsAreCursors(resumed.events);
    const ids = resumed.events.filter((e) => e.event === 'snapshot').map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // No full snapshot: a snapshot event without events is a match without events (maybe new
    // to the client) or a state it holds again with new freshness.
    const held = new Set<number>();
    for (const e of resumed.events.filter((x) => x.event === 'snapshot')) {
      const data = JSON.parse(e.data) as StreamData;
      if (data.events) data.events.forEach((x) => held.add(x.cursor));
      else expect(data.cursor === 0 || data.cursor <= lastId || held.has(data.cursor), e.data).toBe(true);
    }
    // Then the current freshness of each followed match (after the missed updates, before nothing else is lost).
    const freshness = resumed.events.filter((e) => e.event === 'freshness');
    expect(freshness.map((e) => (JSON.parse(e.data) as { matchId: string }).matchId).sort()).toEqual([...a1()].sort());
    // Each match's last update is its stored state.
    const last = resumed.events
      .filter((e) => e.event === 'snapshot')
      .map((e) => JSON.parse(e.data) as StreamData)
      .filter((d) => d.id === volley.id)
      .at(-1)!;
    const stored = await call<MatchSnapshot>(scene.server.url, 'GET', `/api/matches/${volley.id}`, scene.admin);
    expect({ cursor: last.cursor, home: last.home, away: last.away, sets: last.sets }).toEqual({
      cursor: stored.cursor,
      home: stored.home,
      away: stored.away,
      sets: stored.sets,
    });
  });

  it('a Last-Event-ID too old to page, or never handed out, gets a resync event, then full snapshots', async () => {
    const { desk } = scene;
    await desk.start(tooOld.id);
    const before = (await call<MatchSnapshot>(scene.server.url, 'GET', `/api/matches/${tooOld.id}`, scene.admin))
      .cursor;
    const point = { type: 'SCORE_UPDATE' as const, payload: { side: 'home' } };
    for (const n of [500, 500, SSE_RESUME_MAX_EVENTS + 1 - 1000])
      await desk.pushOk(
        tooOld.id,
        Array.from({ length: n }, () => point),
      );
    const stored = await call<MatchSnapshot>(scene.server.url, 'GET', `/api/matches/${tooOld.id}`, scene.admin);

    const old = await open(streamUrl('C3'), { ...auth(), 'last-event-id': String(before) });
    await vi.waitFor(() => expect(old.events).toHaveLength(2), WAIT);
    expect(old.events[0]).toMatchObject({ event: 'resync', id: String(before) });
    expect(JSON.parse(old.events[0]!.data)).toEqual({
      reason: 'TOO_OLD',
      lastEventId: before,
      limit: SSE_RESUME_MAX_EVENTS,
    });
    const full = JSON.parse(old.events[1]!.data) as StreamData;
    expect(old.events[1]).toMatchObject({ event: 'snapshot', id: String(stored.cursor) });
    expect(full.events).toBeUndefined();
    expect(full.home.score).toBe(stored.home.score);

    // One event fewer behind: paged, not a snapshot.
    const paged = await open(streamUrl('C3'), { ...auth(), 'last-event-id': String(before + 1) });
    await vi.waitFor(() => expect(paged.events.some((e) => e.event === 'freshness')).toBe(true), WAIT);
    expect(paged.events.some((e) => e.event === 'resync')).toBe(false);
    expect(delivered(paged.events)).toHaveLength(SSE_RESUME_MAX_EVENTS);

    const ahead = await open(streamUrl('C3'), { ...auth(), 'last-event-id': String(stored.cursor + 1_000_000) });
    await vi.waitFor(() => expect(ahead.events).toHaveLength(2), WAIT);
    expect(JSON.parse(ahead.events[0]!.data)).toMatchObject({ reason: 'UNKNOWN_CURSOR' });
  });

  it('refuses a malformed Last-Event-ID with 400 VALIDATION; an empty one is a fresh start', async () => {
    const res = await fetch(streamUrl('A1'), { headers: { ...auth(), 'last-event-id': 'yesterday' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION', message: expect.stringContaining('Last-Event-ID') },
    });
    const fresh = await open(streamUrl('A1'), { ...auth(), 'last-event-id': '' });
    await vi.waitFor(() => expect(fresh.events).toHaveLength(3), WAIT);
    expect(fresh.events.every((e) => e.event === 'snapshot' && !JSON.parse(e.data).events)).toBe(true);
  });

  it('resumes for curl, a client nobody here wrote', async () => {
    const { desk, volley } = scene;
    const from = (await call<MatchSnapshot>(scene.server.url, 'GET', `/api/matches/${volley.id}`, scene.admin)).cursor;
    await desk.point(volley.id, 'home');
    await desk.point(second.id, 'home');
    const expected = await storedAfter(scene.server.url, scene.admin, a1(), from);
    const curl = spawn('curl', [
      '-sN',
      '-H',
      `Authorization: Bearer ${scene.viewer}`,
      '-H',
      `Last-Event-ID: ${from}`,
      streamUrl('A1'),
    ]);
    let text = '';
    curl.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    try {
      await vi.waitFor(() => expect(parseSseText(text).filter((e) => e.event === 'freshness')).toHaveLength(3), WAIT);
      const events = parseSseText(text);
      expect(delivered(events)).toEqual(expected);
      expectIdsAreCursors(events);
      // Two points of two matches: two updates, each with its cursor as id.
      const updates = events.filter((e) => e.event === 'snapshot' && (JSON.parse(e.data) as StreamData).events);
      expect(updates.map((e) => Number(e.id))).toEqual(expected);
    } finally {
      curl.kill();
    }
  });
});

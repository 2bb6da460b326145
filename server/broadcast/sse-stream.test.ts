/**
 * The SSE handler over real HTTP on loopback, fed by an in-memory pipeline stub (the
 * real pipeline is covered end to end in test/e2e/overlays.test.ts).
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import type { ConsolePresence, Freshness, MatchUpdate } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { BoundedWriter, sseEvent, streamHandler } from './sse-stream.js';
import { openSse, type SseReader } from './testing/sse-reader.js';
import { snapshot } from './test-snapshots.js';

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
    hold: () => (gate = new Promise((r) => (release = r))),
    release: () => release(),
    update: (s: MatchSnapshot) =>
      updates.forEach((l) =>
        l({ matchId: s.id, baseCursor: 0, cursor: s.cursor, events: [], snapshot: s, freshness: ONLINE }),
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

async function open(url: string): Promise<SseReader> {
  const reader = await openSse(url);
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
    p.update({ ...b, cursor: 9 }); // other court: dropped
    p.update({ ...a, cursor: 7, home: { name: 'Home', score: 1 } });
    await vi.waitFor(() => expect(parsed(reader).map((s) => s.cursor)).toEqual([5, 7]), WAIT);
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
    p.update({ ...a, cursor: 8 }); // committed after the read began
    p.release();
    const r = await reader;
    await vi.waitFor(() => expect(parsed(r).map((s) => s.cursor)).toEqual([5, 8]), WAIT);
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
    const text = sseEvent('snapshot', { name: 'two\nlines\r\n' });
    expect(text).toBe('event: snapshot\ndata: {"name":"two\\nlines\\r\\n"}\n\n');
  });
});

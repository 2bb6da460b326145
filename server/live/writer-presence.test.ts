/**
 * Viewers learn when the console writing a match connects or drops, from the console's
 * own /console connection: a contract-v1 console that only pushes events (never sends
 * presence:report). Against a real server: a /live match subscriber (COURT_UPDATE with
 * freshness), a court wall in frames mode, an SSE client and the vMix feed.
 */
import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { openSse, type SseReader } from '../../test/support/broadcast/sse-reader.js';
import {
  connectSocket,
  request,
  scoreEvents,
  startEvent,
  startTestServer,
  type TestServer,
} from '../../test/support/server.js';

const WAIT = { timeout: 5_000, interval: 20 };

let server: TestServer;
const sockets: Socket[] = [];
const readers: SseReader[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const r of readers) r.close();
  await server.stop();
});

/** A bare socket.io-client console speaking contract v1: handshake, events:push, nothing else. */
function rawConsole(token: string, consoleId: string): Promise<Socket> {
  const socket = connect(`${server.url}/console`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token, protocol: PROTOCOL_VERSION, consoleId },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

type Freshness = { consoleOnline: boolean };
type CourtUpdate = { court: string; snapshot: { id: string; cursor: number }; freshness?: Freshness };

/** Every COURT_UPDATE and MATCH_UPDATE of a /live socket, in arrival order. */
function record(socket: Socket) {
  const courtUpdates: CourtUpdate[] = [];
  const matchUpdates: { matchId: string; freshness: Freshness }[] = [];
  socket.on('COURT_UPDATE', (m: CourtUpdate) => courtUpdates.push(m));
  socket.on('MATCH_UPDATE', (u: { matchId: string; freshness: Freshness }) => matchUpdates.push(u));
  socket.on('MATCH_UPDATES', (f: { updates: { matchId: string; freshness: Freshness }[] }) =>
    matchUpdates.push(...f.updates),
  );
  return {
    courtUpdates,
    matchUpdates,
    /** The console-online flag of the match's latest freshness-carrying COURT_UPDATE, if any. */
    lastCourtOnline: (matchId: string) =>
      courtUpdates.filter((m) => m.snapshot.id === matchId && m.freshness).at(-1)?.freshness?.consoleOnline,
    courtUpdatesOf: (matchId: string) => courtUpdates.filter((m) => m.snapshot.id === matchId && m.freshness),
  };
}

/** consoleOnline in the latest SSE event that carries this match's snapshot and freshness. */
function onlineIn(reader: SseReader, matchId: string): boolean | undefined {
  for (let i = reader.events.length - 1; i >= 0; i--) {
    let data: { id?: string; freshness?: Freshness | null };
    try {
      data = JSON.parse(reader.events[i]!.data);
    } catch {
      continue;
    }
    if (data?.id === matchId && data.freshness) return data.freshness.consoleOnline;
  }
  return undefined;
}

describe('the writer console connecting and dropping', () => {
  let court: string;
  let matchId: string;
  let scorer: string;
  let viewer: string;
  const consoleId = randomUUID();
  let console1: Socket;
  let subscriber: ReturnType<typeof record>;
  let wall: ReturnType<typeof record>;
  let sse: SseReader;

  const sseOnline = () => onlineIn(sse, matchId);
  const feedOnline = async () => {
    const res = await server.http('GET', `/api/feeds/vmix?court=${encodeURIComponent(court)}`, undefined, viewer);
    expect(res.status).toBe(200);
    const row = (res.body as { matchId: string; consoleOnline: boolean }[]).find((r) => r.matchId === matchId);
    return row?.consoleOnline;
  };
  /** The server has let go of this many /console sockets (its disconnect handlers have run). */
  const consoleSockets = () => server.io.of('/console').sockets.size;

  beforeAll(async () => {
    court = `WP-${randomUUID().slice(0, 8)}`;
    matchId = (await server.createMatch({ court })).id;
    scorer = await server.userToken('scorer');
    viewer = await server.userToken('viewer');

    const live = await connectSocket(server.url, '/live', viewer);
    sockets.push(live);
    subscriber = record(live);
    expect(await request(live, 'SUBSCRIBE_MATCH', { matchId })).toMatchObject({
      ok: true,
      freshness: { consoleOnline: false },
    });

    const wallSocket = await connectSocket(server.url, '/live', server.adminToken);
    sockets.push(wallSocket);
    wall = record(wallSocket);
    expect(await request(wallSocket, 'SUBSCRIBE_COURTS', { courts: [court], frames: true })).toMatchObject({
      ok: true,
    });

    sse = await openSse(`${server.url}/api/stream?court=${encodeURIComponent(court)}`, {
      authorization: `Bearer ${viewer}`,
    });
    readers.push(sse);
    expect(sse.status).toBe(200);
    await vi.waitFor(() => expect(sseOnline()).toBe(false), WAIT);
  });

  it('pushing events: viewers see the console online', async () => {
    console1 = await rawConsole(scorer, consoleId);
    const ack = await request(console1, 'events:push', {
      matchId,
      epoch: 0,
      events: [startEvent(1), ...scoreEvents(2, 2)],
    });
    expect(ack).toMatchObject({ ok: true, ackedSeq: 3 });
    await vi.waitFor(() => {
      expect(subscriber.matchUpdates.filter((u) => u.matchId === matchId).at(-1)?.freshness.consoleOnline).toBe(true);
      expect(wall.matchUpdates.filter((u) => u.matchId === matchId).at(-1)?.freshness.consoleOnline).toBe(true);
      expect(sseOnline()).toBe(true);
    }, WAIT);
    expect(await feedOnline()).toBe(true);
  });

  it('the console drops (it never reported presence): a COURT_UPDATE says offline, on /live, the wall, SSE and the feed', async () => {
    const before = subscriber.courtUpdatesOf(matchId).length;
    console1.close();
    await vi.waitFor(() => {
      expect(subscriber.lastCourtOnline(matchId)).toBe(false);
      expect(wall.lastCourtOnline(matchId)).toBe(false);
      expect(sseOnline()).toBe(false);
    }, WAIT);
    expect(subscriber.courtUpdatesOf(matchId).length).toBe(before + 1);
    const update = subscriber.courtUpdatesOf(matchId).at(-1)!;
    expect(update).toMatchObject({ court, snapshot: { id: matchId } });
    expect(await feedOnline()).toBe(false);
  });

  it('it reconnects (without pushing): online again everywhere', async () => {
    console1 = await rawConsole(scorer, consoleId);
    await vi.waitFor(() => {
      expect(subscriber.lastCourtOnline(matchId)).toBe(true);
      expect(wall.lastCourtOnline(matchId)).toBe(true);
      expect(sseOnline()).toBe(true);
    }, WAIT);
    expect(await feedOnline()).toBe(true);
  });

  it('with two connections of the same console, it is offline only when the last one goes', async () => {
    const second = await rawConsole(scorer, consoleId);
    const flips = subscriber.courtUpdatesOf(matchId).length;
    const open = consoleSockets();
    second.close();
    await vi.waitFor(() => expect(consoleSockets()).toBe(open - 1), WAIT);
    expect(await feedOnline()).toBe(true);
    expect(subscriber.courtUpdatesOf(matchId).length).toBe(flips);
    expect(subscriber.lastCourtOnline(matchId)).toBe(true);

    console1.close();
    await vi.waitFor(() => {
      expect(subscriber.lastCourtOnline(matchId)).toBe(false);
      expect(sseOnline()).toBe(false);
    }, WAIT);
    expect(await feedOnline()).toBe(false);
  });

  it('an SSE client that connects while the console is away sees it offline, then online when it comes back', async () => {
    const late = await openSse(`${server.url}/api/stream?court=${encodeURIComponent(court)}`, {
      authorization: `Bearer ${viewer}`,
    });
    readers.push(late);
    const lateOnline = () => onlineIn(late, matchId);
    await vi.waitFor(() => expect(lateOnline()).toBe(false), WAIT);
    console1 = await rawConsole(scorer, consoleId);
    await vi.waitFor(() => {
      expect(lateOnline()).toBe(true);
      expect(subscriber.lastCourtOnline(matchId)).toBe(true);
    }, WAIT);
  });
});

describe('after a handover, the new writer', () => {
  it("is the console whose connection counts; the old writer's drop changes nothing", async () => {
    const court = `WH-${randomUUID().slice(0, 8)}`;
    const matchId = (await server.createMatch({ court })).id;
    const scorer = await server.userToken('scorer');
    const oldId = randomUUID();
    const newId = randomUUID();
    const live = await connectSocket(server.url, '/live', await server.userToken('viewer'));
    sockets.push(live);
    const viewer = record(live);
    await request(live, 'SUBSCRIBE_MATCH', { matchId });
    const old = await rawConsole(scorer, oldId);
    expect(await request(old, 'events:push', { matchId, epoch: 0, events: [startEvent(1)] })).toMatchObject({
      ok: true,
    });
    await vi.waitFor(
      () => expect(viewer.matchUpdates.filter((u) => u.matchId === matchId).at(-1)?.freshness.consoleOnline).toBe(true),
      WAIT,
    );

    // Handed to a console that is not connected: offline.
    const moved = await server.http(
      'POST',
      `/api/matches/${matchId}/handover`,
      { consoleId: newId },
      server.adminToken,
    );
    expect(moved.status).toBe(200);
    await vi.waitFor(() => expect(viewer.lastCourtOnline(matchId)).toBe(false), WAIT);
    // It connects: online, without pushing anything.
    const next = await rawConsole(scorer, newId);
    await vi.waitFor(() => expect(viewer.lastCourtOnline(matchId)).toBe(true), WAIT);
    // The old writer goes: the match's console is still online.
    const flips = viewer.courtUpdatesOf(matchId).length;
    const open = server.io.of('/console').sockets.size;
    old.close();
    await vi.waitFor(() => expect(server.io.of('/console').sockets.size).toBe(open - 1), WAIT);
    expect(viewer.courtUpdatesOf(matchId).length).toBe(flips);
    next.close();
    await vi.waitFor(() => expect(viewer.lastCourtOnline(matchId)).toBe(false), WAIT);
  });
});

/**
 * The link's reactions to what a server tells it, against a scripted Socket.io server on
 * loopback that speaks /live as docs/protocol.md writes it (so each case can be made to
 * happen on demand): a gap in the updates, the server dropping the socket, a message the
 * schemas refuse, a refused handshake. After each the link reconnects and catches up by
 * cursor from what it holds (SUBSCRIBE_MATCH since), nothing twice. The real server and
 * NodeCG are in ../nodecg.e2e.test.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CourtView } from './court-feed.js';
import { liveSnapshot, storedEvent } from '../testing/live-fixtures.js';
import { startLiveLink, type LinkStatus, type LiveLink } from './live-link.js';

const WAIT = { timeout: 15_000, interval: 20 };
const FRESH = { lastEventAt: null, lastStoredAt: null, consoleOnline: true };

const snapshot = (cursor: number) => liveSnapshot('m', cursor);
const event = (cursor: number) => storedEvent('m', cursor);

function update(baseCursor: number, cursors: number[]) {
  const cursor = cursors[cursors.length - 1]!;
  return { matchId: 'm', baseCursor, cursor, events: cursors.map(event), snapshot: snapshot(cursor), freshness: FRESH };
}

/** What the server holds of match m, and what each connection asked. */
let stored: number;
let subscribes: { since: number | undefined }[];
let sockets: Socket[];
let io: Server;
let url: string;
let link: LiveLink | null;
let views: CourtView[];
let status: LinkStatus;
let refuse: string | null;

beforeEach(async () => {
  stored = 2;
  subscribes = [];
  sockets = [];
  refuse = null;
  views = [];
  const http = createServer();
  io = new Server(http);
  const live = io.of('/live');
  live.use((socket, next) => {
    if (!refuse) return next();
    const error = new Error(refuse) as Error & { data: unknown };
    error.data = { code: refuse, message: 'token invalid or expired; log in again' };
    next(error);
  });
  live.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('SUBSCRIBE_MATCH', ({ since }: { since?: number }, ack: (r: unknown) => void) => {
      subscribes.push({ since });
      ack({ ok: true, snapshot: snapshot(stored), freshness: FRESH });
      // The stored events after `since`, as the server's catch-up sends them.
      if (since !== undefined && since < stored)
        socket.emit(
          'MATCH_UPDATE',
          update(
            since,
            Array.from({ length: stored - since }, (_, i) => since + 1 + i),
          ),
        );
    });
    socket.on('SUBSCRIBE_COURTS', (_msg: unknown, ack: (r: unknown) => void) =>
      ack({ ok: true, snapshots: [snapshot(stored)] }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  link?.stop();
  link = null;
  await io.close();
});

function start(token = 'viewer-token', restored: Partial<CourtView>[] = []): void {
  link = startLiveLink({
    url,
    token,
    courts: ['1'],
    eventsKept: 50,
    restored,
    onCourt: (view) => views.push(view),
    onStatus: (next) => (status = next),
    log: { info: () => {}, warn: () => {}, error: () => {} },
  });
}

const last = () => views[views.length - 1]!;
const cursorsSeen = () => last().events.map((e) => e.cursor);
const lastSocket = () => sockets[sockets.length - 1]!;

/** Every value the court took: each event once, in cursor order. */
function expectNeverTwice(): void {
  for (const view of views) {
    const cursors = view.events.map((e) => e.cursor);
    expect(cursors).toEqual([...new Set(cursors)].sort((a, b) => a - b));
  }
}

describe('live link', () => {
  it('a gap in the updates: reconnects and catches up from the held cursor', async () => {
    start();
    await vi.waitFor(() => expect(last()).toMatchObject({ link: 'live', cursor: 2 }), WAIT);
    stored = 3;
    lastSocket().emit('MATCH_UPDATE', update(2, [3]));
    await vi.waitFor(() => expect(cursorsSeen()).toEqual([3]), WAIT);

    stored = 6; // 4 and 5 never reach this socket: the next update shows the gap
    lastSocket().emit('MATCH_UPDATE', update(5, [6]));
    await vi.waitFor(() => expect(last()).toMatchObject({ link: 'live', cursor: 6 }), WAIT);
    expect(sockets).toHaveLength(2);
    expect(subscribes).toEqual([{ since: 3 }]);
    expect(cursorsSeen()).toEqual([3, 4, 5, 6]);
    expect(status).toMatchObject({ resyncs: 1, connects: 2 });
    expectNeverTwice();
  });

  it('the server drops the socket: reconnects by itself and catches up; a repeated update is not applied twice', async () => {
    start('viewer-token', [{ court: '1', match: snapshot(2) as CourtView['match'], events: [event(1), event(2)] }]);
    await vi.waitFor(() => expect(last()).toMatchObject({ link: 'live', cursor: 2 }), WAIT);
    expect(subscribes).toEqual([{ since: 2 }]); // resumed from the restored replicant
    lastSocket().emit('MATCH_UPDATE', update(1, [2])); // a repeat
    stored = 4;
    lastSocket().disconnect(true); // as the server drops a viewer that does not read
    await vi.waitFor(() => expect(last()).toMatchObject({ link: 'live', cursor: 4 }), WAIT);
    expect(subscribes).toEqual([{ since: 2 }, { since: 2 }]);
    expect(cursorsSeen()).toEqual([1, 2, 3, 4]);
    expectNeverTwice();
  });

  it('a message the shared schemas refuse is not applied, and is counted', async () => {
    start();
    await vi.waitFor(() => expect(last()).toMatchObject({ link: 'live', cursor: 2 }), WAIT);
    const bad = update(2, [3]);
    (bad.events[0]!.payload as { side: string }).side = 'middle';
    lastSocket().emit('MATCH_UPDATE', bad);
    await vi.waitFor(() => expect(status.invalid).toBe(1), WAIT);
    expect(status.lastError).toMatch(/^MATCH_UPDATE refused: events\.0\.payload\.side/);
    expect(last().cursor).toBe(2);
  });

  it('a refused handshake is shown as refused with the server reason', async () => {
    refuse = 'UNAUTHORIZED';
    start('expired');
    await vi.waitFor(() => expect(last().link).toBe('refused'), WAIT);
    expect(status.lastError).toBe('refused: UNAUTHORIZED: token invalid or expired; log in again');
    expect(last().stale).toBe(true);
  });
});

/**
 * Socket.io v2 clients (Engine.IO 3, still common in broadcast plugins) against the real
 * server and PostgreSQL, with the real socket.io-client 2.5.0 from npm (the
 * `socket.io-client-v2` alias): a viewer on /live subscribes and receives an update, a
 * console on /console pushes and gets its ack, and the handshake refusals reach it.
 * A v2 client has no `auth`: it sends token, protocol and consoleId as its query.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scoreEvents, startEvent, startTestServer, type TestServer } from '../../test/support/server.js';

/** The few calls of socket.io-client 2.x used here (the package has no types of its own). */
interface V2Socket {
  id: string;
  connected: boolean;
  on(event: string, listener: (...args: any[]) => void): void;
  once(event: string, listener: (...args: any[]) => void): void;
  emit(event: string, payload: unknown, ack?: (response: any) => void): void;
  close(): void;
  io: { engine: { transport: { name: string } } };
}
type V2Io = (url: string, options: Record<string, unknown>) => V2Socket;
const ioV2 = createRequire(import.meta.url)('socket.io-client-v2') as V2Io;

const WAIT = { timeout: 5_000, interval: 20 };

let server: TestServer;
let viewerToken: string;
let scorerToken: string;
const sockets: V2Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const minted = await server.http('POST', '/api/viewer-tokens', { label: 'v2 plugin' }, server.adminToken);
  expect(minted.status).toBe(201);
  viewerToken = minted.body.token;
  scorerToken = await server.userToken('scorer');
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
});

/** Connects a v2 client; resolves on connect, rejects with what its `error` event carries. */
function connectV2(nsp: '/live' | '/console', options: Record<string, unknown>): Promise<V2Socket> {
  const socket = ioV2(server.url + nsp, { forceNew: true, reconnection: false, transports: ['websocket'], ...options });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    // v2 reports a refused namespace connect as `error` with the server's data ({code, message}).
    socket.once('error', (data: unknown) => reject(Object.assign(new Error('refused'), { data })));
    socket.once('connect_error', (error: Error) => reject(error));
  });
}

function ask<T = any>(socket: V2Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve) => socket.emit(event, payload, resolve));
}

async function refusal(nsp: '/live' | '/console', options: Record<string, unknown>) {
  const error = (await connectV2(nsp, options).then(
    () => {
      throw new Error('connected');
    },
    (e: unknown) => e,
  )) as { data?: { code: string; message: string } };
  return error.data;
}

describe('a Socket.io v2 client', () => {
  it.each(['websocket', 'polling'])(
    'viewer over %s: connects to /live with a viewer token, subscribes and receives the update; a console on /console pushes and gets the ack',
    async (transport) => {
      const court = `V2-${randomUUID().slice(0, 8)}`;
      const matchId = (await server.createMatch({ court })).id;
      const viewer = await connectV2('/live', { transports: [transport], query: { token: viewerToken, protocol: 1 } });
      expect(viewer.io.engine.transport.name).toBe(transport);
      const updates: any[] = [];
      viewer.on('MATCH_UPDATE', (u: unknown) => updates.push(u));
      const subscribed = await ask(viewer, 'SUBSCRIBE_MATCH', { matchId });
      expect(subscribed).toMatchObject({ ok: true, snapshot: { id: matchId, status: 'scheduled' } });
      expect(subscribed.freshness).toMatchObject({ consoleOnline: false });

      // A v2 console: its scorer token in a header (never in the URL), protocol and consoleId in the query.
      const consoleId = randomUUID();
      const console = await connectV2('/console', {
        extraHeaders: { Authorization: `Bearer ${scorerToken}` },
        query: { protocol: 1, consoleId },
      });
      const ack = await ask(console, 'events:push', {
        matchId,
        epoch: 0,
        events: [startEvent(1), ...scoreEvents(2, 2)],
      });
      expect(ack).toMatchObject({ ok: true, ackedSeq: 3 });
      expect(typeof ack.cursor).toBe('number');

      await vi.waitFor(() => {
        const seqs = updates.filter((u) => u.matchId === matchId).flatMap((u) => u.events.map((e: any) => e.seq));
        expect(seqs).toEqual([1, 2, 3]);
      }, WAIT);
      const last = updates.at(-1);
      expect(last).toMatchObject({ matchId, cursor: ack.cursor, snapshot: { home: { score: 2 } } });
      expect(last.freshness).toMatchObject({ consoleOnline: true });
      console.close();
      viewer.close();
    },
  );

  it('is told the real problem at connect: UNAUTHORIZED, PROTOCOL, VALIDATION, FORBIDDEN', async () => {
    expect(await refusal('/live', { query: { protocol: 1 } })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal('/live', { query: { token: 'not-a-token', protocol: 1 } })).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const noProtocol = await refusal('/live', { query: { token: viewerToken } });
    expect(noProtocol).toMatchObject({ code: 'PROTOCOL' });
    expect(noProtocol!.message).toContain('supported: 1');
    expect(await refusal('/live', { query: { token: viewerToken, protocol: 2 } })).toMatchObject({ code: 'PROTOCOL' });
    const header = { extraHeaders: { Authorization: `Bearer ${scorerToken}` } };
    expect(await refusal('/console', { ...header, query: { protocol: 1 } })).toMatchObject({ code: 'VALIDATION' });
    // A scorer token in the query is in the handshake URL (proxy logs): viewer tokens only there.
    const inUrl = await refusal('/console', { query: { token: scorerToken, protocol: 1, consoleId: randomUUID() } });
    expect(inUrl).toMatchObject({ code: 'FORBIDDEN' });
    expect(inUrl!.message).toContain('Authorization: Bearer');
    expect(
      await refusal('/console', { query: { token: viewerToken, protocol: 1, consoleId: randomUUID() } }),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });
});

/**
 * The fault proxy itself, against a real Socket.io server on loopback: each fault it
 * claims to inject must actually happen (a harness that silently passes bytes through
 * would make every fault test meaningless).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { TcpProxy } from './harness/tcp-proxy.js';
import { nextEvent, until } from '../support/wait.js';

let http: HttpServer;
let ioServer: Server;
let port = 0;
let received = 0;

beforeAll(async () => {
  http = createServer();
  ioServer = new Server(http);
  ioServer.on('connection', (socket) => {
    socket.on('echo', (value: number, ack: (v: number) => void) => {
      received++;
      ack(value);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  port = (http.address() as { port: number }).port;
});

afterAll(async () => {
  await ioServer.close();
});

let connects = 0;
function client(proxy: TcpProxy): Socket {
  const socket = io(proxy.url, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 200 });
  socket.on('connect', () => connects++);
  return socket;
}

/** Wait for a new connection after the proxy broke the previous one. */
async function reconnected(socket: Socket, since: number): Promise<void> {
  await until(() => connects > since && socket.connected, 'no reconnect', 5_000);
}

async function echo(socket: Socket, value: number, timeoutMs = 1_000): Promise<number | 'timeout'> {
  try {
    return (await socket.timeout(timeoutMs).emitWithAck('echo', value)) as number;
  } catch {
    return 'timeout';
  }
}

describe('fault proxy', () => {
  it('passes, black-holes (then resets on heal), refuses and fails over', async () => {
    const proxy = await TcpProxy.start([
      { host: '127.0.0.1', port: 1 }, // nothing listens: failover to the next upstream
      { host: '127.0.0.1', port },
    ]);
    const socket = client(proxy);
    try {
      await until(() => socket.connected, 'no connection through the proxy', 5_000);
      expect(await echo(socket, 1)).toBe(1);

      proxy.setMode('blackhole');
      const before = received;
      expect(await echo(socket, 2, 500)).toBe('timeout');
      expect(received).toBe(before); // the server never saw it
      expect(proxy.stats.droppedBytes).toBeGreaterThan(0);

      const resetsBefore = proxy.stats.resets;
      const c1 = connects;
      proxy.setMode('pass');
      expect(proxy.stats.resets).toBeGreaterThan(resetsBefore); // the broken stream was reset
      await reconnected(socket, c1);
      expect(await echo(socket, 3)).toBe(3);

      proxy.setMode('refuse');
      await until(() => !socket.connected, 'refuse did not disconnect', 2_000);
      // It tries again and is refused again (not merely not tried yet).
      await nextEvent(socket.io, 'reconnect_error', 5_000);
      expect(socket.connected).toBe(false);
      const c2 = connects;
      proxy.setMode('pass');
      await reconnected(socket, c2);
    } finally {
      socket.close();
      await proxy.close();
    }
  });

  it('drops whole server->client frames (lost ack) and duplicates client->server frames', async () => {
    const proxy = await TcpProxy.start([{ host: '127.0.0.1', port }]);
    const socket = client(proxy);
    try {
      await until(() => socket.connected, 'no connection', 5_000);
      const lost = proxy.addFrameRule({
        direction: 'down',
        match: (t) => t.startsWith('43'),
        action: 'drop',
        remaining: 1,
      });
      const before = received;
      expect(await echo(socket, 10, 500)).toBe('timeout');
      expect(received).toBe(before + 1); // the server processed it: only the ack was lost
      expect(lost.hits).toBe(1);
      expect(socket.connected).toBe(true); // the stream stayed valid
      expect(await echo(socket, 11)).toBe(11);

      proxy.addFrameRule({ direction: 'up', match: (t) => t.startsWith('42'), action: 'duplicate', remaining: 1 });
      const before2 = received;
      expect(await echo(socket, 12)).toBe(12);
      await until(() => received === before2 + 2, 'duplicate frame not delivered twice', 2_000);

      proxy.cut('down');
      expect(await echo(socket, 13, 500)).toBe('timeout');
      const c3 = connects;
      proxy.cut(null);
      await reconnected(socket, c3);
      expect(await echo(socket, 14)).toBe(14);
    } finally {
      socket.close();
      await proxy.close();
    }
  });
});

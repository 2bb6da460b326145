/**
 * A bare Socket.io server on loopback that answers as a test tells it to: a hostile or
 * broken server (malformed acks, events out of order), or one of another protocol version
 * (refusing every handshake). Clients meet it exactly as they meet the real one; the
 * real server never sends such things, so only a stand-in can show what a client does then.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Namespace } from 'socket.io';

export interface StandInServer {
  url: string;
  io: Server;
  /** The /console namespace, for the test's own handlers. */
  console: Namespace;
  close(): Promise<void>;
}

export async function startStandInServer(): Promise<StandInServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const io = new Server(http, { serveClient: false });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    console: io.of('/console'),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        void io.close(() => resolve());
      }),
  };
}

/** A handshake refusal as a server sends it: a connect_error with this message and data. */
export function refusal(message: string, data: unknown): Error {
  return Object.assign(new Error(message), { data });
}

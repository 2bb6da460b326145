/**
 * Payloads over maxHttpBufferSize: engine.io closes the connection (WebSocket close 1009,
 * or HTTP 413 for long-polling) before any handler sees the data. This only makes the
 * closure visible: a log line and a counter, naming the user when the connection had one.
 */
import type { Server, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import type { SecurityMetrics } from './security-metrics.js';

export function isOversizeClose(description: unknown): boolean {
  const text =
    description instanceof Error
      ? `${description.message} ${(description as { code?: string }).code ?? ''} ${String((description as { description?: unknown }).description ?? '')}`
      : String(description ?? '');
  return /max payload|payload too large|WS_ERR_UNSUPPORTED_MESSAGE_LENGTH/i.test(text);
}

export interface OversizeWatch {
  /** Remember who is on a connection, for the log line if it is closed for size. */
  noteSocket(socket: Socket<any, any, any, SocketData>): void;
}

export function watchOversize(io: Server, maxBytes: number, logger: Logger, metrics: SecurityMetrics): OversizeWatch {
  const usersOf = new Map<string, Set<string>>();
  io.engine.on(
    'connection',
    (raw: {
      id: string;
      remoteAddress?: string;
      on(event: 'close', fn: (reason: string, description?: unknown) => void): void;
    }) => {
      raw.on('close', (reason, description) => {
        const users = usersOf.get(raw.id);
        usersOf.delete(raw.id);
        if (!isOversizeClose(description)) return;
        metrics.disconnects.inc({ reason: 'oversize' });
        logger.warn(
          { reason, address: raw.remoteAddress, users: [...(users ?? [])], maxBytes },
          'security: message over the size limit; connection closed',
        );
      });
    },
  );
  return {
    noteSocket(socket) {
      const connId = (socket.conn as unknown as { id: string }).id;
      const set = usersOf.get(connId) ?? new Set<string>();
      set.add(socket.data.user.username);
      usersOf.set(connId, set);
    },
  };
}

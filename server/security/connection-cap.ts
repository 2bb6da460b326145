/**
 * A cap on live connections per user, counted across every server process: each socket
 * joins the room `user:<id>` and the count is the adapter's fetchSockets over both
 * namespaces (the postgres and redis adapters ask every live process; a dead process's
 * sockets are simply gone). A disconnect leaves the room, so reconnects never lock a
 * user out (the guide's counter never decremented). Handshakes in flight on this
 * process are added, so a burst of simultaneous connects cannot all slip under the cap.
 */
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import type { SecurityMetrics } from './security-metrics.js';

/** Longest a passed handshake may take to become a connection before its place is released. */
const ADMIT_GRACE_MS = 10_000;

export function userRoom(userId: number): string {
  return `user:${userId}`;
}

export interface ConnectionCap {
  /** Namespace middleware; must run after the token check (it reads socket.data.user). */
  middleware(socket: Socket<any, any, any, SocketData>, next: (err?: Error) => void): void;
  /** On connection: join the user's room (counted from now on). */
  track(socket: Socket<any, any, any, SocketData>): void;
}

function refusal(message: string): Error {
  const error = new Error('RATE_LIMITED') as Error & { data?: unknown };
  error.data = { code: 'RATE_LIMITED', message };
  return error;
}

export function createConnectionCap(
  namespaces: () => Namespace[],
  cap: number,
  logger: Logger,
  metrics: SecurityMetrics,
): ConnectionCap {
  /** Handshakes of this process that passed the check but have not joined their room yet. */
  const admitting = new Map<number, number>();
  const pending = new Map<string, NodeJS.Timeout>();
  const bump = (userId: number, by: number) => {
    const n = (admitting.get(userId) ?? 0) + by;
    if (n <= 0) admitting.delete(userId);
    else admitting.set(userId, n);
  };

  async function liveCount(userId: number): Promise<number> {
    const counts = await Promise.all(
      namespaces().map((nsp) =>
        nsp
          .in(userRoom(userId))
          .fetchSockets()
          .then((s) => s.length),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  return {
    middleware(socket, next) {
      const user = socket.data.user;
      bump(user.id, 1);
      liveCount(user.id)
        .catch((error: Error) => {
          // Another process did not answer in time (e.g. it just died): count this process's sockets.
          logger.warn({ err: error.message }, 'security: connection count incomplete; counting this process only');
          return namespaces().reduce((n, nsp) => n + (nsp.adapter.rooms.get(userRoom(user.id))?.size ?? 0), 0);
        })
        .then((live) => {
          const total = live + (admitting.get(user.id) ?? 0);
          if (total > cap) {
            bump(user.id, -1);
            metrics.refusals.inc({ code: 'RATE_LIMITED' });
            logger.warn({ user: user.username, live, cap }, 'security: connection refused (too many live connections)');
            return next(refusal(`user ${user.username} has ${live} live connections (limit ${cap})`));
          }
          // A handshake that never becomes a connection (client gone) must not hold a place.
          const release = setTimeout(() => bump(user.id, -1), ADMIT_GRACE_MS);
          release.unref();
          pending.set(socket.id, release);
          next();
        });
    },
    track(socket) {
      const user = socket.data.user;
      void socket.join(userRoom(user.id));
      const release = pending.get(socket.id);
      if (release) {
        clearTimeout(release);
        pending.delete(socket.id);
        bump(user.id, -1);
      }
    },
  };
}

/**
 * A cap on live connections per user, counted across every server process: each socket
 * joins the room `user:<id>` and the count is the adapter's fetchSockets over both
 * namespaces (the postgres and redis adapters ask every process they believe alive). A
 * disconnect leaves the room, so reconnects never lock a user out (the guide's counter
 * never decremented). Handshakes in flight on this process are added, so a burst of
 * simultaneous connects to one process cannot all slip under the cap.
 *
 * A dead process must not hold up handshakes: the postgres adapter keeps expecting a
 * killed process's answer until its heartbeat times out (server/adapters.ts), and without a
 * bound every handshake on the survivor waited for the adapter's 5 s request timeout, so
 * consoles failing over got their first ack after about 5 s. The other processes now get
 * CLUSTER_COUNT_TIMEOUT_MS to answer; past it the handshake is counted against this
 * process's own sockets (and its handshakes in flight), logged and counted in
 * scoredesk_security_cap_local_counts_total. The trade-off is in docs/security.md.
 */
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import type { SecurityMetrics } from './security-metrics.js';

/** Longest a passed handshake may take to become a connection before its place is released. */
const ADMIT_GRACE_MS = 10_000;
/**
 * Longest a handshake waits for the other processes' share of the count. A live process
 * answers over PostgreSQL NOTIFY or redis in a few ms on a LAN (about 3 ms on loopback) and
 * in tens of ms when busy; a dead one never answers. 300 ms is far above a healthy answer
 * and keeps a failover (reconnect after 100-200 ms, this wait, one commit) within 1 s.
 */
export const CLUSTER_COUNT_TIMEOUT_MS = 300;
/** Counting on this process only is logged at most this often (a failover turns every handshake into one). */
const LOCAL_COUNT_LOG_INTERVAL_MS = 10_000;

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

  /** Sockets of the user on this process (both namespaces). */
  function localCount(userId: number): number {
    return namespaces().reduce((n, nsp) => n + (nsp.adapter.rooms.get(userRoom(userId))?.size ?? 0), 0);
  }

  /** Sockets of the user on every process; rejects when not every process answered in time. */
  async function clusterCount(userId: number): Promise<number> {
    const counts = Promise.all(
      namespaces().map((nsp) =>
        nsp
          .in(userRoom(userId))
          // Honoured by the postgres adapter (its request ends then); the redis adapter has its own.
          .timeout(CLUSTER_COUNT_TIMEOUT_MS)
          .fetchSockets()
          .then((s) => s.length),
      ),
    ).then((n) => n.reduce((a, b) => a + b, 0));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not every process answered within ${CLUSTER_COUNT_TIMEOUT_MS} ms`)),
        CLUSTER_COUNT_TIMEOUT_MS,
      );
    });
    try {
      // A late answer or a late rejection of `counts` is handled by the race and ignored.
      return await Promise.race([counts, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  let lastLocalCountLog = Number.NEGATIVE_INFINITY;
  let localCountsSinceLog = 0;
  function countedLocally(error: Error): void {
    metrics.capLocalCounts.inc();
    localCountsSinceLog++;
    const now = Date.now();
    if (now - lastLocalCountLog < LOCAL_COUNT_LOG_INTERVAL_MS) return;
    logger.warn(
      { err: error.message, handshakes: localCountsSinceLog },
      'security: connection count incomplete (a process did not answer); counting this process only',
    );
    lastLocalCountLog = now;
    localCountsSinceLog = 0;
  }

  return {
    middleware(socket, next) {
      const user = socket.data.user;
      bump(user.id, 1);
      let answered = false;
      clusterCount(user.id)
        .catch((error: Error) => {
          // Another process did not answer in time (it just died, or is stalled): count this one's sockets.
          countedLocally(error);
          return localCount(user.id);
        })
        .then((live) => {
          const total = live + (admitting.get(user.id) ?? 0);
          if (total > cap) {
            bump(user.id, -1);
            metrics.refusals.inc({ code: 'RATE_LIMITED' });
            logger.warn({ user: user.username, live, cap }, 'security: connection refused (too many live connections)');
            answered = true;
            return next(refusal(`user ${user.username} has ${live} live connections (limit ${cap})`));
          }
          // A handshake that never becomes a connection (client gone) must not hold a place.
          const release = setTimeout(() => bump(user.id, -1), ADMIT_GRACE_MS);
          release.unref();
          pending.set(socket.id, release);
          answered = true;
          next();
        })
        .catch((error: Error) => {
          // Not expected (a failed count falls back above), but a handshake must get an answer.
          logger.error({ err: error.message, user: user.username }, 'security: connection cap failed');
          if (answered) return;
          bump(user.id, -1);
          next(error);
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

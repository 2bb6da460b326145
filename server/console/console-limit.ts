/**
 * At most MAX_CONSOLES_PER_USER console ids per user live at once on /console, counted on
 * every process (the user's room from the connection cap). A console reconnecting with an
 * id it already has live is always let in; a new id beyond the limit is refused with
 * RATE_LIMITED naming the limit. Without it one scorer's 2,019 connects with random
 * consoleIds made 2,019 presence rows and 2,018 false "offline" alerts (issue 12).
 */
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import { CLUSTER_COUNT_TIMEOUT_MS, userRoom } from '../security/connection-cap.js';
import type { SocketData } from '../sockets/handshake.js';

/**
 * A venue's scorer account runs one console per court, and a big venue has 6-8 courts
 * under one account; 8 covers that while a script cannot mint consoles without bound.
 */
export const MAX_CONSOLES_PER_USER = 8;
/** Longest a passed handshake holds its place before it becomes a connection. */
const ADMIT_GRACE_MS = 10_000;

function refusal(message: string): Error {
  const error = new Error('RATE_LIMITED') as Error & { data?: unknown };
  error.data = { code: 'RATE_LIMITED', message };
  return error;
}

export function limitConsolesPerUser(
  nsp: Namespace<any, any, any, SocketData>,
  logger: Logger,
  max = MAX_CONSOLES_PER_USER,
): void {
  /** Console ids of handshakes on this process that passed but have not connected yet, per user. */
  const admitting = new Map<number, Map<string, number>>();
  const live = async (userId: number): Promise<Set<string>> => {
    const ids = new Set<string>();
    let sockets: { data: Partial<SocketData> }[];
    try {
      sockets = await nsp.in(userRoom(userId)).timeout(CLUSTER_COUNT_TIMEOUT_MS).fetchSockets();
    } catch {
      // Another process did not answer (just died): this process's own sockets.
      sockets = [...nsp.sockets.values()].filter((s) => s.data.user?.id === userId);
    }
    for (const s of sockets) if (s.data.consoleId) ids.add(s.data.consoleId);
    for (const id of admitting.get(userId)?.keys() ?? []) ids.add(id);
    return ids;
  };
  const hold = (userId: number, consoleId: string, by: number) => {
    const held = admitting.get(userId) ?? new Map<string, number>();
    const n = (held.get(consoleId) ?? 0) + by;
    if (n > 0) held.set(consoleId, n);
    else held.delete(consoleId);
    if (held.size) admitting.set(userId, held);
    else admitting.delete(userId);
  };

  const pending = new Map<string, () => void>();
  nsp.on('connection', (socket) => pending.get(socket.id)?.());

  nsp.use((socket: Socket<any, any, any, SocketData>, next) => {
    const { user, consoleId } = socket.data;
    if (!consoleId) return next();
    live(user.id).then(
      (ids) => {
        if (!ids.has(consoleId) && ids.size >= max) {
          logger.warn({ user: user.username, consoles: ids.size, max }, 'console refused (too many consoles live)');
          return next(
            refusal(
              `user ${user.username} has ${ids.size} consoles connected (limit ${max}); close one or use another account`,
            ),
          );
        }
        hold(user.id, consoleId, 1);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          clearTimeout(timer);
          pending.delete(socket.id);
          hold(user.id, consoleId, -1);
        };
        const timer = setTimeout(release, ADMIT_GRACE_MS);
        timer.unref();
        // Once connected the socket is in the user's room (the connection cap's track) and counted there.
        pending.set(socket.id, release);
        next();
      },
      (error: Error) => {
        logger.error({ err: error.message }, 'console limit failed');
        next(refusal('the server could not count your consoles; retry'));
      },
    );
  });
}

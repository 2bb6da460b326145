/**
 * Password guessing against the Socket.io admin UI: @socket.io/admin-ui checks basic auth
 * (bcrypt) on every handshake but never slows a guesser down. This namespace middleware
 * runs before it and counts handshakes that carry a password (the UI reconnects with a
 * session id, which does not count), per username + address, in the login window.
 */
import type { Namespace } from 'socket.io';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import { loginKey } from './login-throttle.js';
import type { SecurityMetrics } from './security-metrics.js';

function keyOf(handshake: { auth?: unknown; address: string }): string | null {
  const auth = (handshake.auth ?? {}) as { username?: unknown; password?: unknown };
  return auth.password === undefined ? null : `admin-ui|${loginKey(auth.username, handshake.address)}`;
}

export function throttleAdminUi(
  nsp: Namespace,
  limiter: RateLimiterAbstract,
  logger: Logger,
  metrics: SecurityMetrics,
): void {
  // A successful login (the UI's own auth admitted the socket) clears the count, like POST /api/auth/login.
  nsp.on('connection', (socket) => {
    const key = keyOf(socket.handshake);
    if (key) void limiter.delete(key).catch(() => {});
  });
  nsp.use((socket, next) => {
    const key = keyOf(socket.handshake);
    if (!key) return next();
    limiter.consume(key).then(
      () => next(),
      (rejection: unknown) => {
        if (rejection instanceof Error) return next(); // store down: bcrypt still bounds the rate
        metrics.refusals.inc({ code: 'RATE_LIMITED' });
        logger.warn({ address: socket.handshake.address }, 'security: admin UI login throttled');
        next(new Error('RATE_LIMITED'));
      },
    );
  });
}

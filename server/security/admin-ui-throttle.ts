/**
 * The gate in front of the Socket.io admin UI's own auth (@socket.io/admin-ui checks
 * basic auth with bcrypt on every handshake). This namespace middleware runs before it:
 * 1. the handshake's `auth` must have the UI's shape (shared/admin-ui-auth.ts), else it is
 *    refused with the library's own "invalid credentials" before bcrypt ever runs (a
 *    missing or non-string password used to make bcrypt reject unhandled and kill the
 *    process);
 * 2. handshakes that carry a password are counted per username + address in the login
 *    window, like POST /api/auth/login (the UI reconnects with a session id, which does
 *    not count); past the limit: RATE_LIMITED.
 */
import type { Namespace } from 'socket.io';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { adminUiAuthSchema } from '../../shared/admin-ui-auth.js';
import type { Logger } from '../logger.js';
import { loginKey } from './login-throttle.js';
import type { SecurityMetrics } from './security-metrics.js';

/** What the library answers for bad credentials: a bad shape looks the same from outside. */
const INVALID_CREDENTIALS = 'invalid credentials';

function keyOf(auth: unknown, address: string): string | null {
  const login = auth as { username?: unknown; password?: unknown };
  return login.password === undefined ? null : `admin-ui|${loginKey(login.username, address)}`;
}

export function throttleAdminUi(
  nsp: Namespace,
  limiter: RateLimiterAbstract,
  logger: Logger,
  metrics: SecurityMetrics,
): void {
  // A successful login (the UI's own auth admitted the socket) clears the count, like POST /api/auth/login.
  nsp.on('connection', (socket) => {
    const key = keyOf(socket.handshake.auth ?? {}, socket.handshake.address);
    if (key) void limiter.delete(key).catch(() => {});
  });
  nsp.use((socket, next) => {
    const auth: unknown = socket.handshake.auth ?? {};
    const parsed = adminUiAuthSchema.safeParse(auth);
    const key = keyOf(auth, socket.handshake.address);
    const refuseShape = () => {
      metrics.refusals.inc({ code: 'UNAUTHORIZED' });
      logger.warn({ address: socket.handshake.address }, 'security: admin UI handshake refused (malformed auth)');
      next(new Error(INVALID_CREDENTIALS));
    };
    if (!key) return parsed.success ? next() : refuseShape();
    // A guess with a malformed password still counts: the throttle sees every attempt.
    limiter.consume(key).then(
      () => (parsed.success ? next() : refuseShape()),
      (rejection: unknown) => {
        if (rejection instanceof Error) return parsed.success ? next() : refuseShape(); // store down: bcrypt still bounds the rate
        metrics.refusals.inc({ code: 'RATE_LIMITED' });
        logger.warn({ address: socket.handshake.address }, 'security: admin UI login throttled');
        next(new Error('RATE_LIMITED'));
      },
    );
  });
}

/**
 * Handshake checks, run as namespace middleware before a connection exists: protocol
 * version, token, role. A refusal is a connect_error whose message is the error code.
 * A token that expires mid-session ends the session (session:end, then disconnect).
 */
import type { Namespace, Socket } from 'socket.io';
import { handshakeAuthSchema, PROTOCOL_VERSION, type Role } from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import type { TokenService } from '../auth/tokens.js';
import type { Logger } from '../logger.js';

export interface SocketData {
  user: AuthUser;
  consoleId: string | null;
  expiresAt: number;
}

/** setTimeout's ceiling (~24.8 days): longer expiries are re-armed. */
const MAX_TIMER_MS = 2_147_000_000;

function refuse(code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'PROTOCOL'): Error {
  const error = new Error(code) as Error & { data?: unknown };
  error.data = { code };
  return error;
}

export function requireHandshake(
  nsp: Namespace<any, any, any, SocketData>,
  tokens: TokenService,
  roles: readonly Role[],
  logger: Logger,
): void {
  nsp.use(async (socket, next) => {
    const parsed = handshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
    const auth = socket.handshake.auth as Record<string, unknown> | undefined;
    if (auth && auth.protocol !== undefined && auth.protocol !== PROTOCOL_VERSION) return next(refuse('PROTOCOL'));
    if (!parsed.success) {
      // A missing protocol is a protocol problem; anything else (no token, bad consoleId) is unauthorized.
      const protocolIssue = parsed.error.issues.some((i) => i.path[0] === 'protocol');
      return next(refuse(protocolIssue ? 'PROTOCOL' : 'UNAUTHORIZED'));
    }
    const verified = await tokens.verify(parsed.data.token);
    if (!verified) {
      logger.info({ nsp: nsp.name, address: socket.handshake.address }, 'socket: refused (bad token)');
      return next(refuse('UNAUTHORIZED'));
    }
    if (!roles.includes(verified.user.role)) {
      logger.info({ nsp: nsp.name, user: verified.user.username }, 'socket: refused (role)');
      return next(refuse('FORBIDDEN'));
    }
    socket.data.user = verified.user;
    socket.data.consoleId = parsed.data.consoleId ?? null;
    socket.data.expiresAt = verified.expiresAt;
    next();
  });
}

/** Ends the session when its token expires; the client re-authenticates and resumes by cursor. */
export function endOnExpiry(socket: Socket<any, any, any, SocketData>): void {
  const arm = () => {
    const left = socket.data.expiresAt - Date.now();
    const timer = setTimeout(
      () => {
        if (socket.data.expiresAt - Date.now() > 0) return arm();
        socket.emit('session:end', { code: 'UNAUTHORIZED', message: 'token expired; log in again' });
        socket.disconnect(true);
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
  };
  arm();
}

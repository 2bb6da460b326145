/**
 * Handshake checks, run as namespace middleware before a connection exists, in this order:
 * token (auth.token, else an `Authorization: Bearer` header of the handshake request),
 * protocol version, role, consoleId (a UUID; required on /console). A refusal is a
 * connect_error whose message is the error code, with `{code, message}` in its `data`
 * (a version refusal adds `reason` and the `supported` range: shared/protocol/version.ts).
 * A token that expires mid-session ends the session (session:end, then disconnect).
 */
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import {
  formatProtocolRange,
  protocolRefusalReason,
  SUPPORTED_PROTOCOLS,
  type ErrorBody,
  type ProtocolRefusal,
  type Role,
} from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import type { TokenService } from '../auth/tokens.js';
import type { Logger } from '../logger.js';

export interface SocketData {
  user: AuthUser;
  consoleId: string | null;
  expiresAt: number;
}

export interface HandshakeOptions {
  /** /console: a handshake without a valid `consoleId` is refused with VALIDATION. */
  requireConsoleId?: boolean;
}

const consoleIdSchema = z.uuid();
/** Engine.IO protocol of Socket.io v2 clients (allowEIO3 in server/app.ts). */
const LEGACY_ENGINE_IO = 3;

/** A refused handshake: a connect_error whose message is the code; a version refusal names why and the range. */
export type HandshakeRefusal = Error & { data: ErrorBody | ProtocolRefusal };

function refuse(code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'VALIDATION' | 'INTERNAL', message: string): HandshakeRefusal {
  const error = new Error(code) as HandshakeRefusal;
  error.data = { code, message };
  return error;
}

function refuseProtocol(refusal: ProtocolRefusal): HandshakeRefusal {
  const error = new Error(refusal.code) as HandshakeRefusal;
  error.data = refusal;
  return error;
}

const SUPPORTED_TEXT = formatProtocolRange(SUPPORTED_PROTOCOLS);

/** The token of a handshake: auth.token, else `Authorization: Bearer` (non-browser clients). */
export function handshakeToken(auth: Record<string, unknown>, authorization: string | undefined): string | null {
  if (typeof auth.token === 'string' && auth.token.length > 0) return auth.token;
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  return bearer ? bearer[1]! : null;
}

/**
 * The protocol version asked for: a JSON integer, or a decimal string of one ("1": clients
 * that can only send strings); null when missing or anything else.
 */
export function handshakeProtocol(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^[0-9]{1,6}$/.test(value)) return Number(value);
  return null;
}

/** The refusal of this protocol value (reason, range and what was wrong), or null when it is supported. */
export function protocolProblem(value: unknown): ProtocolRefusal | null {
  const version = handshakeProtocol(value);
  const reason = protocolRefusalReason(version);
  if (reason === null) return null;
  const supported = `supported: ${SUPPORTED_TEXT}; send auth: {token, protocol: ${SUPPORTED_PROTOCOLS.max}}`;
  const refusal = (message: string): ProtocolRefusal => ({
    code: 'PROTOCOL',
    message,
    reason,
    supported: { ...SUPPORTED_PROTOCOLS },
  });
  switch (reason) {
    case 'NO_VERSION':
      return refusal(
        value === undefined
          ? `protocol: missing in the handshake auth (${supported})`
          : `protocol: ${JSON.stringify(value) ?? String(value)} is not a protocol version (${supported})`,
      );
    case 'CLIENT_TOO_OLD':
      return refusal(`protocol ${version} is not supported: the client is too old (${supported})`);
    case 'CLIENT_TOO_NEW':
      return refusal(`protocol ${version} is not supported: the client is too new (${supported})`);
    default: {
      const never: never = reason;
      throw new Error(`unknown protocol refusal ${String(never)}`);
    }
  }
}

export function requireHandshake(
  nsp: Namespace<any, any, any, SocketData>,
  tokens: TokenService,
  roles: readonly Role[],
  logger: Logger,
  options: HandshakeOptions = {},
): void {
  const admit = async (socket: Socket<any, any, any, SocketData>, next: (error?: Error) => void) => {
    const raw: unknown = socket.handshake.auth;
    const auth = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const token = handshakeToken(auth, socket.handshake.headers.authorization);
    if (!token)
      return next(refuse('UNAUTHORIZED', 'no token: send auth: {token} (or an Authorization: Bearer header)'));
    const verified = await tokens.verify(token);
    if (!verified) {
      logger.info({ nsp: nsp.name, address: socket.handshake.address }, 'socket: refused (bad token)');
      return next(refuse('UNAUTHORIZED', 'token invalid or expired; log in again'));
    }
    const problem = protocolProblem(auth.protocol);
    if (problem) {
      logger.info(
        { nsp: nsp.name, user: verified.user.username, reason: problem.reason },
        'socket: refused (protocol)',
      );
      return next(refuseProtocol(problem));
    }
    if (!roles.includes(verified.user.role)) {
      logger.info({ nsp: nsp.name, user: verified.user.username }, 'socket: refused (role)');
      return next(refuse('FORBIDDEN', `role ${verified.user.role} may not connect to ${nsp.name}`));
    }
    // A Socket.io v2 client (Engine.IO 3) has no auth: Socket.io reads its query as the auth,
    // and that query is also in the handshake URL (proxy logs): viewer tokens only, as on HTTP.
    if (socket.conn.protocol === LEGACY_ENGINE_IO && auth.token === token && verified.user.role !== 'viewer') {
      logger.warn({ nsp: nsp.name, user: verified.user.username }, 'socket: refused (non-viewer token in a URL)');
      return next(
        refuse(
          'FORBIDDEN',
          `token: only viewer tokens may go in a URL; a Socket.io v2 client sends a ${verified.user.role} token in an Authorization: Bearer header (extraHeaders)`,
        ),
      );
    }
    let consoleId: string | null = null;
    if (auth.consoleId !== undefined || options.requireConsoleId) {
      const parsed = consoleIdSchema.safeParse(auth.consoleId);
      if (!parsed.success)
        return next(
          refuse(
            'VALIDATION',
            auth.consoleId === undefined
              ? `consoleId: missing in the handshake auth (a UUID the console keeps for life)`
              : 'consoleId: not a UUID',
          ),
        );
      consoleId = parsed.data;
    }
    socket.data.user = verified.user;
    socket.data.consoleId = consoleId;
    socket.data.expiresAt = verified.expiresAt;
    // Checked, so not kept for the socket's life: one place fewer a credential sits in memory
    // (socket.io keeps the handshake; a JWT is ~340 bytes per socket).
    if (auth.token === token) delete auth.token;
    next();
  };
  nsp.use((socket, next) => {
    admit(socket, next).catch((error: unknown) => {
      // A check that threw (not a refusal): the client gets an answer instead of a hanging handshake.
      logger.error({ nsp: nsp.name, err: (error as Error).message }, 'socket: handshake check failed');
      next(refuse('INTERNAL', 'the server could not check this connection; retry'));
    });
  });
}

/**
 * How often sessions are checked for an expired token. One sweep over the namespaces' sockets
 * replaces a timer per socket (a Timeout, its closure and a disconnect listener: ~2 MB of heap
 * per 5,000 viewers); a session ends at most this late, against tokens that live minutes or hours.
 */
export const EXPIRY_SWEEP_MS = 1_000;

/**
 * Ends each session whose token has expired (session:end, then disconnect); the client
 * re-authenticates and resumes by cursor. Returns the stop function.
 */
export function endExpiredSessions(namespaces: () => Array<Namespace<any, any, any, SocketData>>): () => void {
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const nsp of namespaces())
      for (const socket of nsp.sockets.values()) {
        if (socket.data.expiresAt > now) continue;
        socket.emit('session:end', { code: 'UNAUTHORIZED', message: 'token expired; log in again' });
        socket.disconnect(true);
      }
  }, EXPIRY_SWEEP_MS);
  sweep.unref();
  return () => clearInterval(sweep);
}

/**
 * Auth and error answers for the broadcast routes. Tokens come from
 * `Authorization: Bearer` or from `?token=` (vMix, OBS and CasparCG cannot set headers).
 */
import type { NextFunction, Request, Response } from 'express';
import type { ErrorCode, Role } from '../../shared/protocol.js';
import type { AuthUser, BroadcastDeps } from './deps.js';
import { sendErrorAs } from './feed-errors.js';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_MATCH: 404,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** In the route's own format: JSON, or an XML / CSV error body for the XML and CSV feeds (feed-errors.ts). */
export function sendError(res: Response, code: ErrorCode, message: string): void {
  sendErrorAs(res, STATUS_OF[code] ?? 400, code, message);
}

/** The token of a request: the Authorization header wins over the query string. */
export function requestToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    return match ? match[1] : undefined;
  }
  const query = req.query.token;
  return typeof query === 'string' && query.length > 0 ? query : undefined;
}

export function userOf(res: Response): AuthUser {
  const user = res.locals.user as AuthUser | undefined;
  if (!user) throw new Error('requireRole must run before userOf');
  return user;
}

/** Admit a request whose token is valid and whose role is one of `roles` (any role when omitted). */
export function requireRole(deps: BroadcastDeps, roles?: readonly Role[]) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let user: AuthUser | null;
    try {
      user = await deps.authenticate(requestToken(req));
    } catch (error) {
      next(error);
      return;
    }
    if (!user)
      return sendError(res, 'UNAUTHORIZED', 'a valid token is required (Authorization: Bearer TOKEN or ?token=TOKEN)');
    if (roles && !roles.includes(user.role))
      return sendError(res, 'FORBIDDEN', `role ${user.role} may not use this; needs ${roles.join(' or ')}`);
    res.locals.user = user;
    next();
  };
}

/** pg-pool's error when no connection came free within connectionTimeoutMillis (it has no code). */
const POOL_TIMEOUT = /timeout exceeded when trying to connect|connection terminated/i;

/**
 * Storage errors become UNAVAILABLE (retry later): unreachable (class 08, 57P01), out of
 * resources (class 53: too many connections), or no pooled connection free in time (the
 * readers' pool is busy). Anything else INTERNAL. Never leaks details.
 */
export function sendFailure(res: Response, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const unreachable =
    typeof code === 'string' &&
    (code.startsWith('08') || code === 'ECONNREFUSED' || code === '57P01' || code === 'ETIMEDOUT');
  if (unreachable) return sendError(res, 'UNAVAILABLE', 'storage is unreachable; retry later');
  if (
    (typeof code === 'string' && code.startsWith('53')) ||
    (typeof message === 'string' && POOL_TIMEOUT.test(message))
  ) {
    res.setHeader('Retry-After', '1');
    return sendError(res, 'UNAVAILABLE', 'server busy: no database connection free in time; retry in a second');
  }
  sendError(res, 'INTERNAL', 'internal error');
}

/** Bearer-token authentication and role checks for the JSON API. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../../shared/protocol.js';
import type { AuthUser } from '../broadcast/deps.js';
import type { TokenService } from '../auth/tokens.js';
import { sendError } from './errors.js';

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return undefined;
}

export function currentUser(res: Response): AuthUser {
  return res.locals.user as AuthUser;
}

export function requireRole(tokens: TokenService, roles: readonly Role[]): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const verified = await tokens.verify(bearerToken(req));
    if (!verified) return sendError(res, 'UNAUTHORIZED', 'missing, invalid or expired token');
    if (!roles.includes(verified.user.role)) return sendError(res, 'FORBIDDEN', `needs role ${roles.join(' or ')}`);
    res.locals.user = verified.user;
    next();
  };
}

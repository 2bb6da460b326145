/**
 * `?token=` exists only because vMix, OBS and CasparCG cannot send headers, and the
 * contract allows it for viewer tokens. A URL ends up in tool configs, screenshots,
 * browser history and proxy logs, so an admin or scorer token found there is refused
 * (403 FORBIDDEN) before any route runs: a leaked URL can then only ever read.
 */
import type { RequestHandler } from 'express';
import type { TokenService } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import type { SecurityMetrics } from './security-metrics.js';
import { sendErrorAs } from '../broadcast/feed-errors.js';

export function viewerOnlyQueryTokens(
  tokens: () => TokenService | undefined,
  logger: Logger,
  metrics: SecurityMetrics,
): RequestHandler {
  return (req, res, next) => {
    const query = req.query.token;
    // A header wins over the query everywhere; nothing to judge without a query token.
    if (typeof query !== 'string' || !query || req.headers.authorization) return next();
    const service = tokens();
    if (!service) return next();
    service.verify(query).then(
      (verified) => {
        if (!verified || verified.user.role === 'viewer') return next(); // bad tokens are refused by the route itself
        metrics.refusals.inc({ code: 'FORBIDDEN' });
        logger.warn(
          { user: verified.user.username, role: verified.user.role, path: req.path },
          'security: non-viewer token in a URL refused',
        );
        sendErrorAs(
          res,
          403,
          'FORBIDDEN',
          `token: only viewer tokens may go in a URL; send a ${verified.user.role} token in the Authorization header`,
        );
      },
      (error: Error) => next(error),
    );
  };
}

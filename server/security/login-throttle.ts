/**
 * Login throttling per username + client address (rate-limiter-flexible). Each attempt
 * takes a point up front, so parallel guesses cannot all slip through before the first
 * failure is counted; a successful login clears the key. Keyed by username and address
 * together, so a venue's consoles sharing one address do not lock each other out, and
 * a guesser cannot lock a user out from everywhere.
 */
import type { RequestHandler } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import { isRateLimiterRes } from './limiter-store.js';
import type { SecurityMetrics } from './security-metrics.js';

export function loginKey(username: unknown, address: string | undefined): string {
  const name = typeof username === 'string' ? username.trim().toLowerCase().slice(0, 64) : '';
  return `${name}|${address ?? 'unknown'}`;
}

/** Mount on POST /api/auth/login, after the JSON body parser and before the login handler. */
export function loginThrottle(limiter: RateLimiterAbstract, logger: Logger, metrics: SecurityMetrics): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const key = loginKey(
      (req.body as { username?: unknown } | undefined)?.username,
      req.ip ?? req.socket.remoteAddress,
    );
    limiter.consume(key).then(
      () => {
        res.on('finish', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) void limiter.delete(key).catch(() => {});
        });
        next();
      },
      (rejection: unknown) => {
        if (!isRateLimiterRes(rejection)) {
          // The shared store is down: bcrypt still bounds guessing speed; do not lock everyone out.
          logger.warn({ err: (rejection as Error)?.message }, 'security: login throttle store failed');
          return next();
        }
        metrics.refusals.inc({ code: 'RATE_LIMITED' });
        const seconds = Math.ceil(rejection.msBeforeNext / 1000);
        logger.warn({ username: key.split('|')[0], address: req.ip }, 'security: login throttled');
        res.setHeader('Retry-After', String(seconds));
        res
          .status(429)
          .json({ error: { code: 'RATE_LIMITED', message: `too many login attempts; try again in ${seconds} s` } });
      },
    );
  };
}

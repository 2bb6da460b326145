/** The Express app: security headers, JSON API, health, metrics, then the broadcast router. */
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type pg from 'pg';
import type { Health } from '../../shared/api.js';
import { LIMITS } from '../../shared/protocol.js';
import { databaseReachable } from '../db/pool.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { createApiRouter, type ApiDeps } from './api.js';
import { errorHandler, sendError } from './errors.js';

export interface HttpDeps extends ApiDeps {
  pool: pg.Pool;
  metrics: Metrics;
  logger: Logger;
  broadcastRouter: Router;
  /** Mounted after the body parser, before every route (server/security: CORS, login throttle). */
  beforeRoutes?: RequestHandler[];
  /** Express `trust proxy` (config SCOREDESK_TRUST_PROXY): whose X-Forwarded-Proto makes a request HTTPS. Default none. */
  trustProxy?: boolean | number | string;
}

/**
 * HSTS only on a response to a request that came over HTTPS (req.secure: TLS here, or a
 * trusted proxy's X-Forwarded-Proto). Over plain HTTP the header is meaningless (RFC 6797
 * 8.1: browsers ignore it) and misleads whoever reads the headers.
 */
function hstsOverHttpsOnly(): RequestHandler {
  const hsts = helmet.strictTransportSecurity();
  return (req, res, next) => (req.secure ? hsts(req, res, next) : next());
}

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  // CSP is left to the HTML pages' own router (overlays run in broadcast browsers with their own needs).
  app.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false }));
  app.use(hstsOverHttpsOnly());
  app.use(express.json({ limit: LIMITS.MAX_MESSAGE_BYTES }));
  for (const guard of deps.beforeRoutes ?? []) app.use(guard);

  app.get('/healthz', async (_req, res) => {
    const ok = await databaseReachable(deps.pool);
    res
      .status(ok ? 200 : 503)
      .json(
        (ok ? { ok: true } : { error: { code: 'UNAVAILABLE', message: 'PostgreSQL unreachable' } }) satisfies Health,
      );
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  app.use(createApiRouter(deps));
  app.use(deps.broadcastRouter);
  app.use('/api', (_req, res) => sendError(res, 'NOT_FOUND', 'no such endpoint'));
  app.use(errorHandler(deps.logger));
  return app;
}

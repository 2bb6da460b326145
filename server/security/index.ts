/**
 * The security layer, assembled for server/app.ts: origin checks (allowRequest, CORS),
 * per-namespace guards after the token check (connection cap, per-message limits,
 * FORBIDDEN strikes), oversize logging, login throttling, and extra verification keys
 * for JWT rotation. Each piece lives in its own module; this only wires them.
 */
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import type { Namespace, Server } from 'socket.io';
import type { TokenService } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import { createConnectionCap } from './connection-cap.js';
import { createSharedLimiter, type SharedStore } from './limiter-store.js';
import { loginThrottle } from './login-throttle.js';
import { createMessageGuard } from './message-guard.js';
import { createAllowRequest, httpCors, originAllowlist, socketCors } from './origin.js';
import { watchOversize } from './oversize.js';
import { throttleAdminUi } from './admin-ui-throttle.js';
import { viewerOnlyQueryTokens } from './query-token.js';
import { createSecurityMetrics } from './security-metrics.js';
import { SHARED_STORE_CHUNK, UserRate } from './user-rate.js';
import { resolveSecuritySettings, type SecuritySettings } from './settings.js';
import { routePath } from './route-path.js';
import { readLimits } from './read-limits.js';

/** Rate limits count over one-second windows: the contract speaks of messages per second. */
const USER_RATE_WINDOW_SECONDS = 1;
/** server/app.ts mounts the admin UI here. */
const ADMIN_UI_NAMESPACE = '/admin';

export interface SecurityOptions {
  settings?: Partial<SecuritySettings>;
  adapter: 'memory' | 'postgres' | 'redis';
  pool: pg.Pool;
  redisUrl?: string;
  adminUiEnabled: boolean;
  maxMessageBytes: number;
  /** Connections of the readers' pool: HTTP reads using the database at once (read-limits.ts). */
  readSlots: number;
  registry: Registry;
  logger: Logger;
}

export interface Security {
  settings: SecuritySettings;
  /** For `new Server(httpServer, {...})`. */
  serverOptions: { allowRequest: ReturnType<typeof createAllowRequest>; cors: ReturnType<typeof socketCors> };
  /** Express handlers to mount after the body parser, before the routes. */
  httpGuards: RequestHandler[];
  /**
   * Add the previous secrets of SCOREDESK_JWT_PREVIOUS_SECRETS as verification-only keys;
   * also hands the HTTP guards the token service (viewer-only `?token=`).
   */
  addPreviousKeys(tokens: TokenService): void;
  /** After the token check of `nsp`: cap, message guard, oversize bookkeeping. */
  guardNamespace(nsp: Namespace<any, any, any, SocketData>): void;
  /** Once, after `new Server`. */
  watch(io: Server): void;
  close(): Promise<void>;
}

export async function createSecurity(options: SecurityOptions): Promise<Security> {
  const settings = resolveSecuritySettings(options.settings);
  const logger = options.logger.child({ component: 'security' });
  const metrics = createSecurityMetrics(options.registry);
  const allowlist = originAllowlist(settings.allowedOrigins, options.adminUiEnabled);

  let store: SharedStore = { kind: 'memory' };
  let closeStore = async () => {};
  if (options.adapter === 'postgres') store = { kind: 'postgres', pool: options.pool };
  if (options.adapter === 'redis' && options.redisUrl) {
    const { createClient } = await import('redis');
    const client = createClient({ url: options.redisUrl });
    client.on('error', (error: Error) => logger.warn({ err: error.message }, 'security: redis'));
    await client.connect();
    store = { kind: 'redis', client };
    closeStore = async () => void (await client.quit().catch(() => {}));
  }
  const userLimiter = await createSharedLimiter(store, {
    keyPrefix: 'msg-user',
    points: settings.userMessagesPerSecond,
    durationSeconds: USER_RATE_WINDOW_SECONDS,
  });
  const loginLimiter = await createSharedLimiter(store, {
    keyPrefix: 'login',
    points: settings.loginFailuresPerWindow,
    durationSeconds: settings.loginWindowSeconds,
  });

  // One process counts exactly; several write to the shared store in chunks (server/security/user-rate.ts).
  const userRate = new UserRate(userLimiter, store.kind === 'memory' ? 1 : SHARED_STORE_CHUNK);
  const guard = createMessageGuard({ settings, userRate, logger, metrics });
  const namespaces: Namespace[] = [];
  const cap = createConnectionCap(() => namespaces, settings.maxConnectionsPerUser, logger, metrics);
  const throttle = loginThrottle(loginLimiter, logger, metrics);
  let tokenService: TokenService | undefined;
  let oversize: ReturnType<typeof watchOversize> | undefined;

  return {
    settings,
    serverOptions: {
      allowRequest: createAllowRequest(allowlist, (origin, address) => {
        metrics.refusals.inc({ code: 'FORBIDDEN' });
        logger.warn({ origin, address }, 'security: socket refused (origin not allowed)');
      }),
      cors: socketCors(allowlist),
    },
    httpGuards: [
      httpCors(allowlist),
      // Before the token guard: a refused flood costs no signature check at all (read-limits.ts).
      readLimits(
        {
          maxStreamsPerUser: settings.maxStreamsPerUser,
          httpReadsPerSecond: settings.httpReadsPerSecond,
          slots: options.readSlots,
        },
        () => tokenService,
        logger,
        metrics,
      ),
      viewerOnlyQueryTokens(() => tokenService, logger, metrics),
      // However the path is spelled (case, trailing slash): Express routes them all to the login handler.
      (req, res, next) => (routePath(req.path) === '/api/auth/login' ? throttle(req, res, next) : next()),
    ],
    addPreviousKeys(tokens) {
      tokenService = tokens;
      for (const secret of settings.previousJwtSecrets) tokens.addKey(secret);
    },
    guardNamespace(nsp) {
      namespaces.push(nsp as Namespace);
      nsp.use((socket, next) => guard.admit(socket, next));
      nsp.use((socket, next) => cap.middleware(socket, next));
      nsp.on('connection', (socket) => {
        cap.track(socket);
        oversize?.noteSocket(socket);
        guard.attach(socket);
      });
    },
    watch(io) {
      oversize = watchOversize(io, options.maxMessageBytes, logger, metrics);
      // Registered before instrument() (server/app.ts), so it runs before the UI's own auth.
      if (options.adminUiEnabled) throttleAdminUi(io.of(ADMIN_UI_NAMESPACE), loginLimiter, logger, metrics);
    },
    close: () => closeStore(),
  };
}

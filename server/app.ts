/**
 * Assembles the server and nothing more: every step below builds one part and hands it on.
 * Database (given or embedded) and migrations; auth (tokens, security, revocation gate);
 * the pipeline (group commit -> server/live/on-commit.ts -> broadcaster); the Express app;
 * Socket.io and its namespaces; then listen. `startServer` is what `server/main.ts` runs
 * and what tests call in-process.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import type pg from 'pg';
import { Server, type Namespace, type Socket } from 'socket.io';
import { installAdapter } from './adapters.js';
import { TokenService } from './auth/tokens.js';
import type { BroadcastDeps } from './broadcast/deps.js';
import { createBroadcastDeps } from './broadcast/pipeline-deps.js';
import { createBroadcastRouter } from './broadcast/router.js';
import { Bus } from './bus.js';
import type { ServerConfig } from './config.js';
import { consoleRoom, setupConsoleNamespace, type ConsoleNamespace } from './console/namespace.js';
import type { EmbeddedDatabase } from './db/embedded-postgres.js';
import { runMigrations } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { loadOrCreateJwtSecret } from './db/secrets.js';
import { createHttpApp } from './http/app.js';
import { GroupCommit } from './ingest/group-commit.js';
import { Ingest } from './ingest/ingest.js';
import { VerifyStreams } from './verify/verify-stream.js';
import { MatchStateCache } from './ingest/match-state.js';
import { Broadcaster } from './live/broadcaster.js';
import { readCatchUp } from './live/catch-up.js';
import { setupLiveNamespace } from './live/namespace.js';
import { onAirSources, publishCommitted, putOnAir } from './live/on-commit.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { PresenceTracker } from './presence.js';
import { closeStaleSessions, SessionHandle } from './sessions.js';
import { listOnAirRows, listSnapshots } from './store/matches.js';
import { bootstrapAdmin } from './store/users.js';
import { createSecurity } from './security/index.js';
import { requireHandshake, endExpiredSessions, type SocketData } from './sockets/handshake.js';
import { attachTimeSync } from './sockets/time-sync.js';
import { AuthGate } from './auth/auth-gate.js';
import { enforceRevocations, StreamRegistry } from './auth/revocation-enforcer.js';
import { limitConsolesPerUser } from './console/console-limit.js';
import { createTokensRouter } from './http/tokens-api.js';
import { startPresencePruner } from './presence-pruner.js';
import type { FaultHooks } from './fault-hooks.js';

export interface RunningServer {
  url: string;
  port: number;
  serverId: string;
  databaseUrl: string;
  metrics: Metrics;
  logger: Logger;
  io: Server;
  /** Events received but not yet committed. */
  pendingEvents(): number;
  /** Flush the pending batch, close sockets, the pool and the embedded database. Idempotent. */
  close(): Promise<void>;
}

/** What the caller passes besides the settings: production passes nothing. */
export interface StartOptions {
  /** Fault tests act at named points of the commit pipeline (server/fault-hooks.ts). */
  faultHooks?: FaultHooks;
}

/** Group commit runs one statement at a time; a second connection lets the recovery probe and the next commit overlap a dying one. */
const WRITER_POOL_MAX = 2;
/**
 * The readers' own connections (feeds, SSE streams, court wall, overlays): however many
 * requests come in, reads hold at most these, never the main pool's (ingest planning,
 * sessions, presence, health) nor the writer's. HTTP reads take a slot each
 * (server/security/read-limits.ts), so they queue for these instead of timing out in pg.
 */
const READER_POOL_MAX = 4;

/** Shutdown must finish even if a client never lets go. */
const CLOSE_TIMEOUT_MS = 10_000;

type AnyNamespace = Namespace<any, any, any, SocketData>;
type AnySocket = Socket<any, any, any, SocketData>;

/** Shutdown steps, the latest started first (each part adds its own with unshift). */
type Cleanups = (() => Promise<void>)[];

/** What every wiring step may use. */
interface Base {
  config: ServerConfig;
  serverId: string;
  logger: Logger;
  databaseUrl: string;
  cleanups: Cleanups;
}

/** Storage and auth: the main pool, tokens, metrics, the security layer and the revocation gate. */
interface Core extends Base {
  pool: pg.Pool;
  tokens: TokenService;
  metrics: Metrics;
  security: Awaited<ReturnType<typeof createSecurity>>;
  gate: AuthGate;
  streams: StreamRegistry;
}

/** The scoring pipeline: push -> ingest -> group commit -> on-commit -> broadcaster. */
interface Pipeline extends Core {
  bus: Bus;
  readerPool: pg.Pool;
  commits: GroupCommit;
  ingest: Ingest;
  verify: VerifyStreams;
  presence: PresenceTracker;
  broadcaster: Broadcaster;
}

/**
 * Parts wired to each other across steps: the /console namespace exists only once io does,
 * and io only once the Express app is the HTTP server's listener.
 */
interface LateBound {
  notifyHandover: (matchId: string, epoch: number, previous: string | null, next: string | null) => void;
  tokenNamespaces: () => AnyNamespace[];
}

interface Sockets {
  io: Server;
  consoleNsp: ConsoleNamespace;
  liveNsp: AnyNamespace;
}

interface SessionTracking {
  sessions: Map<string, SessionHandle>;
  /** Session rows being closed; shutdown waits for them. */
  writes: Set<Promise<void>>;
}

async function openDatabase(config: ServerConfig): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const dir = path.join(config.dataDir, 'postgres');
  mkdirSync(config.dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as `postgres` and must traverse the data folder (secrets in it stay mode 600).
    const mode = statSync(config.dataDir).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(config.dataDir, mode | 0o011);
  }
  // Imported only when used (it strips embedded-postgres's exit hooks: server/db/embedded-postgres.ts).
  const { openEmbeddedPostgres } = await import('./db/embedded-postgres.js');
  const embedded = await openEmbeddedPostgres({ dir, port: config.embeddedPgPort }).catch((error: unknown) => {
    // embedded-postgres rejects with no reason; the usual cause is the port.
    const why = error instanceof Error ? error.message : 'no reason given; is the port in use?';
    throw new Error(
      `embedded PostgreSQL did not start on port ${config.embeddedPgPort} in ${dir} (${why}); set SCOREDESK_EMBEDDED_PG_PORT or DATABASE_URL`,
    );
  });
  return { url: embedded.url, embedded };
}

/** Migrations, the main pool, the first admin, tokens, the security layer and the revocation gate. */
async function startCore(base: Base): Promise<Core> {
  const { config, logger, databaseUrl, cleanups } = base;
  const applied = await runMigrations(databaseUrl, logger);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const pool = createPool(databaseUrl);
  cleanups.unshift(() => pool.end());
  if (await bootstrapAdmin(pool, config.adminPassword)) logger.info('created user admin (SCOREDESK_ADMIN_PASSWORD)');
  const tokens = new TokenService(loadOrCreateJwtSecret(config.dataDir, config.jwtSecret), config.tokenTtlSeconds);
  const metrics = createMetrics();
  const security = await createSecurity({
    settings: config.security,
    adapter: config.adapter,
    pool,
    redisUrl: config.redisUrl,
    adminUiEnabled: Boolean(config.adminUi),
    maxMessageBytes: config.maxMessageBytes,
    readSlots: READER_POOL_MAX,
    registry: metrics.registry,
    logger,
  });
  cleanups.unshift(() => security.close());
  security.addPreviousKeys(tokens);
  // Revoked token ids and deleted or disabled users, refused on every verification (issue 12).
  const gate = new AuthGate(pool, databaseUrl, logger);
  await gate.start();
  cleanups.unshift(() => gate.close());
  tokens.setGate(gate.check);
  return { ...base, pool, tokens, metrics, security, gate, streams: new StreamRegistry() };
}

/**
 * The scoring pipeline, in the order a point travels: ingest validates and plans a push,
 * group commit writes it and acks, on-commit (server/live/on-commit.ts) hands the commit
 * to the broadcaster of every process.
 */
async function startPipeline(core: Core, options: StartOptions): Promise<Pipeline> {
  const { config, serverId, logger, databaseUrl, cleanups, pool, metrics } = core;
  const bus = new Bus();
  const states = new MatchStateCache(pool);
  // The writer's own connections: readers (streams, feeds, sessions, catch-ups) can never starve commits.
  const writerPool = createPool(databaseUrl, WRITER_POOL_MAX);
  cleanups.unshift(() => writerPool.end());
  const readerPool = createPool(databaseUrl, READER_POOL_MAX);
  cleanups.unshift(() => readerPool.end());
  const commits = new GroupCommit({
    pool: writerPool,
    states,
    maxPendingEvents: config.maxPendingEvents,
    metrics,
    logger,
    onCommitted: publishCommitted(bus),
    ...(options.faultHooks ? { faultHooks: options.faultHooks } : {}),
  });
  const ingest = new Ingest(pool, states, commits, bus, metrics, logger);
  // A second scorer's cross-check (events:push with stream "verify"), beside the official stream.
  const verify = new VerifyStreams(pool, bus, logger);
  cleanups.unshift(async () => verify.stop());
  const presence = new PresenceTracker(pool, bus, serverId, logger);
  const broadcaster = new Broadcaster({
    windowMs: config.batchWindowMs,
    logger,
    sources: onAirSources(pool, presence),
  });
  putOnAir(bus, broadcaster);
  await presence.resetOwn();
  await closeStaleSessions(pool, serverId);
  return { ...core, bus, readerPool, commits, ingest, verify, presence, broadcaster };
}

/**
 * The HTTP server with the Express app as its request listener. It must be that BEFORE
 * Socket.io attaches: engine.io then keeps it for everything but /socket.io/. Registered
 * afterwards, Express also answers long-polling requests and the process dies on
 * ERR_HTTP_HEADERS_SENT.
 */
function createHttp(p: Pipeline, broadcastDeps: BroadcastDeps, late: LateBound): HttpServer {
  const { config, pool, tokens, gate, logger } = p;
  return createServer(
    createHttpApp({
      pool,
      tokens,
      ingest: p.ingest,
      presence: p.presence,
      notifyHandover: (...args) => late.notifyHandover(...args),
      metrics: p.metrics,
      logger,
      broadcastRouter: Router().use(
        createTokensRouter({
          pool,
          tokens,
          gate,
          sessionTtlSeconds: config.tokenTtlSeconds,
          namespaces: () => late.tokenNamespaces(),
          streams: p.streams,
          logger,
        }),
        createBroadcastRouter({ ...broadcastDeps, trackStream: p.streams.track }),
      ),
      beforeRoutes: p.security.httpGuards,
      trustProxy: config.trustProxy,
    }),
  );
}

/** Socket.io on the HTTP server: the adapter between processes, /console and /live, the bus across processes. */
async function createSockets(p: Pipeline, httpServer: HttpServer, late: LateBound): Promise<Sockets> {
  const { config, logger, bus } = p;
  const io = new Server(httpServer, {
    maxHttpBufferSize: config.maxMessageBytes,
    serveClient: false,
    // Socket.io v2 clients (Engine.IO 3), still common in broadcast plugins: their handshake
    // query is read as the auth (server/sockets/handshake.ts).
    allowEIO3: true,
    // Origin allowlist (cross-site WebSocket hijacking) and CORS; the admin UI's origin when it is on.
    ...p.security.serverOptions,
  });
  p.security.watch(io);
  const consoleNsp = io.of('/console') as unknown as ConsoleNamespace;
  late.notifyHandover = (matchId, epoch, previous, next) => {
    if (previous && previous !== next) consoleNsp.to(consoleRoom(previous)).emit('match:fenced', { matchId, epoch });
    if (next) consoleNsp.to(consoleRoom(next)).emit('match:assigned', { matchId, epoch });
  };

  const adapter = await installAdapter(io, config, p.databaseUrl, logger);
  p.cleanups.unshift(() => adapter.close());
  const liveNsp = io.of('/live') as AnyNamespace;
  // Every process tells its own consoles (the bus reaches all processes).
  bus.on((message) => {
    if (message.type === 'match-created') consoleNsp.local.emit('schedule:changed', { court: message.snapshot.court });
  });
  if (config.adapter !== 'memory') bus.attach(liveNsp as unknown as Namespace);
  return { io, consoleNsp, liveNsp };
}

/** Every socket of both namespaces: handshake, guards, a session row, the time base, debug logs. */
function trackSessions(p: Pipeline, namespaces: AnyNamespace[]): SessionTracking {
  const tracking: SessionTracking = { sessions: new Map(), writes: new Set() };
  for (const nsp of namespaces) {
    const isConsole = nsp.name === '/console';
    requireHandshake(nsp, p.tokens, isConsole ? ['scorer', 'admin'] : ['admin', 'scorer', 'viewer'], p.logger, {
      requireConsoleId: isConsole,
    });
    p.security.guardNamespace(nsp);
    if (isConsole) limitConsolesPerUser(nsp, p.logger);
    nsp.on('connection', (socket) => watchSocket(p, nsp, socket, tracking));
  }
  const stopExpiry = endExpiredSessions(() => namespaces);
  p.cleanups.unshift(async () => stopExpiry());
  return tracking;
}

function watchSocket(p: Pipeline, nsp: AnyNamespace, socket: AnySocket, tracking: SessionTracking): void {
  const { config, logger, metrics } = p;
  const { user, consoleId } = socket.data;
  metrics.connections.inc({ namespace: nsp.name });
  const session = new SessionHandle(p.pool, logger, p.serverId, {
    socketId: socket.id,
    namespace: nsp.name,
    // Synthetic subjects (graphics viewer tokens) have no users row to reference.
    userId: user.subject ? null : user.id,
    username: user.username,
    role: user.role,
    consoleId,
  });
  tracking.sessions.set(socket.id, session);
  // Every console and display measures its clock offset here (one time base).
  attachTimeSync(socket);
  socket.onAny((event: string) => {
    session.touch();
    if (config.debugSockets) logger.info({ nsp: nsp.name, socket: socket.id, user: user.username, event }, 'socket in');
  });
  if (config.debugSockets) {
    socket.onAnyOutgoing((event: string) => logger.info({ nsp: nsp.name, socket: socket.id, event }, 'socket out'));
    logger.info({ nsp: nsp.name, socket: socket.id, user: user.username, consoleId }, 'socket connected');
  }
  socket.on('disconnect', (reason) => {
    metrics.connections.dec({ namespace: nsp.name });
    tracking.sessions.delete(socket.id);
    const write = session.close(reason);
    tracking.writes.add(write);
    void write.finally(() => tracking.writes.delete(write));
    if (config.debugSockets) logger.info({ nsp: nsp.name, socket: socket.id, reason }, 'socket disconnected');
  });
}

/** What each namespace serves (console pushes, live delivery), revocations, the presence pruner, the admin UI. */
async function serveNamespaces(
  p: Pipeline,
  s: Sockets,
  sessions: Map<string, SessionHandle>,
  late: LateBound,
): Promise<() => void> {
  const { config, pool, readerPool, logger, gate } = p;
  setupConsoleNamespace(s.consoleNsp, {
    ingest: p.ingest,
    presence: p.presence,
    listSnapshots: (courts) => listSnapshots(pool, courts ? { courts } : {}),
    session: (id) => sessions.get(id),
    verify: p.verify,
    logger,
    metrics: p.metrics,
    stillAllowed: (socket) => gate.check({ user: socket.data.user, expiresAt: socket.data.expiresAt }),
  });
  late.tokenNamespaces = () => [s.consoleNsp, s.liveNsp] as AnyNamespace[];
  enforceRevocations(gate, late.tokenNamespaces, p.streams, logger);
  const stopPruner = startPresencePruner(pool, p.bus, logger);
  p.cleanups.unshift(async () => stopPruner());
  const stopLive = setupLiveNamespace(s.liveNsp as never, {
    broadcaster: p.broadcaster,
    sources: {
      // Viewers' reads, on the readers' pool: a flood of catch-ups never holds the main pool.
      readCatchUp: (matchId, after, upTo, snapshot) => readCatchUp(readerPool, matchId, after, upTo, snapshot),
      listOnAir: (courts) => listOnAirRows(readerPool, courts),
    },
    bus: p.bus,
    metrics: p.metrics,
    logger,
    limits: { writeBufferLimit: config.liveWriteBufferLimit, drainTimeoutMs: config.liveDrainTimeoutMs },
  });
  if (config.adminUi) {
    const { instrument } = await import('@socket.io/admin-ui');
    instrument(s.io, {
      auth: { type: 'basic', username: config.adminUi.username, password: config.adminUi.passwordHash },
      readonly: config.adminUi.readonly,
      serverId: p.serverId,
      namespaceName: '/admin',
      // 'development' (the default without NODE_ENV) relays every event payload of every socket to the UI.
      mode: 'production',
    });
  }
  return stopLive;
}

async function listen(httpServer: HttpServer, config: ServerConfig): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { url: `http://${config.host}:${port}`, port };
}

/** Shutdown, once however often asked: drain commits, put the last on air, close sockets, then every cleanup. */
function closer(
  p: Pipeline,
  s: Sockets,
  httpServer: HttpServer,
  stopLive: () => void,
  sessionWrites: Set<Promise<void>>,
) {
  const { logger } = p;
  let closing: Promise<void> | null = null;
  return () =>
    (closing ??= (async () => {
      logger.info('shutting down');
      const deadline = setTimeout(() => logger.warn('shutdown: timed out waiting'), CLOSE_TIMEOUT_MS);
      try {
        await p.commits.drain();
        p.broadcaster.flush();
        stopLive();
        // io.close's callback comes once the HTTP server is closed too; its own promise earlier.
        const ioClosed = new Promise<void>((resolve, reject) => {
          s.io.close(() => resolve()).catch(reject);
        });
        // A client that stopped reading keeps its TCP connection open forever: cut it.
        httpServer.closeAllConnections();
        await ioClosed;
        await Promise.allSettled([...sessionWrites]);
        for (const cleanup of p.cleanups)
          await cleanup().catch((e: Error) => logger.warn({ err: e.message }, 'shutdown step failed'));
      } finally {
        clearTimeout(deadline);
      }
      logger.info('stopped');
    })());
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const serverId = config.serverId ?? `${hostname()}-${config.port || randomBytes(4).toString('hex')}`;
  const logger = createLogger(config.logLevel, serverId);
  const database = await openDatabase(config);
  const cleanups: Cleanups = [];
  if (database.embedded) cleanups.push(() => database.embedded!.stop());
  try {
    const core = await startCore({ config, serverId, logger, databaseUrl: database.url, cleanups });
    const pipeline = await startPipeline(core, options);
    const broadcastDeps = createBroadcastDeps(pipeline);
    const late: LateBound = { notifyHandover: () => {}, tokenNamespaces: () => [] };
    const httpServer = createHttp(pipeline, broadcastDeps, late);
    const sockets = await createSockets(pipeline, httpServer, late);
    const tracking = trackSessions(pipeline, [sockets.consoleNsp, sockets.liveNsp] as AnyNamespace[]);
    const stopLive = await serveNamespaces(pipeline, sockets, tracking.sessions, late);
    // Verified matches are compared now, from PostgreSQL: a restart does not wait for a verifier's push.
    await pipeline.verify
      .resume()
      .catch((error: Error) => logger.warn({ err: error.message }, 'verify: resume failed'));
    const { url, port } = await listen(httpServer, config);
    logger.info({ url, port, adapter: config.adapter, embeddedDatabase: Boolean(database.embedded) }, 'listening');
    return {
      url,
      port,
      serverId,
      databaseUrl: database.url,
      metrics: pipeline.metrics,
      logger,
      io: sockets.io,
      pendingEvents: () => pipeline.commits.pending,
      close: closer(pipeline, sockets, httpServer, stopLive, tracking.writes),
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

/**
 * Assembles the server: database (given or embedded), migrations, Express app,
 * Socket.io namespaces, batching ingest, live delivery, broadcast router. `startServer`
 * is what `server/main.ts` runs and what tests call in-process.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import { Server, type Namespace } from 'socket.io';
import type { MatchSnapshot } from '../shared/match.js';
import { installAdapter } from './adapters.js';
import { TokenService } from './auth/tokens.js';
import type { BroadcastDeps } from './broadcast/deps.js';
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
import { verifiedOf } from '../shared/verification.js';
import { MatchStateCache } from './ingest/match-state.js';
import { Broadcaster } from './live/broadcaster.js';
import { readCatchUp } from './live/catch-up.js';
import { setupLiveNamespace } from './live/namespace.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { PresenceTracker } from './presence.js';
import { closeStaleSessions, SessionHandle } from './sessions.js';
import {
  getFreshnessRow,
  getFreshnessRows,
  getOnAirRow,
  getSnapshot,
  listOnAirRows,
  listSnapshots,
  readEventRange,
} from './store/matches.js';
import { LIMITS } from '../shared/protocol.js';
import { bootstrapAdmin } from './store/users.js';
import { createSecurity } from './security/index.js';
import { requireHandshake, endOnExpiry, type SocketData } from './sockets/handshake.js';
import { attachTimeSync } from './sockets/time-sync.js';
import { AuthGate } from './auth/auth-gate.js';
import { enforceRevocations, StreamRegistry } from './auth/revocation-enforcer.js';
import { limitConsolesPerUser } from './console/console-limit.js';
import { createTokensRouter } from './http/tokens-api.js';
import { startPresencePruner } from './presence-pruner.js';

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

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const serverId = config.serverId ?? `${hostname()}-${config.port || randomBytes(4).toString('hex')}`;
  const logger = createLogger(config.logLevel, serverId);
  const database = await openDatabase(config);
  const cleanups: (() => Promise<void>)[] = [];
  if (database.embedded) cleanups.push(() => database.embedded!.stop());
  try {
    const applied = await runMigrations(database.url, logger);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    const pool = createPool(database.url);
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
    const gate = new AuthGate(pool, database.url, logger);
    await gate.start();
    cleanups.unshift(() => gate.close());
    tokens.setGate(gate.check);
    const streams = new StreamRegistry();
    let tokenNamespaces: () => Namespace<any, any, any, SocketData>[] = () => [];
    const bus = new Bus();
    const states = new MatchStateCache(pool);
    // The writer's own connections: readers (streams, feeds, sessions, catch-ups) can never starve commits.
    const writerPool = createPool(database.url, WRITER_POOL_MAX);
    cleanups.unshift(() => writerPool.end());
    const readerPool = createPool(database.url, READER_POOL_MAX);
    cleanups.unshift(() => readerPool.end());
    const commits = new GroupCommit({
      pool: writerPool,
      states,
      maxPendingEvents: config.maxPendingEvents,
      metrics,
      logger,
      onCommitted: (matches) => bus.publish({ type: 'batch', matches }),
    });
    const ingest = new Ingest(pool, states, commits, bus, metrics, logger);
    // A second scorer's cross-check (events:push with stream "verify"), beside the official stream.
    const verify = new VerifyStreams(pool, bus, logger);
    cleanups.unshift(async () => verify.stop());
    const presence = new PresenceTracker(pool, bus, serverId, logger);
    const broadcaster = new Broadcaster({
      windowMs: config.batchWindowMs,
      logger,
      sources: {
        readEvents: async (matchId, after, upTo) => {
          const events = [];
          for (let from = after; ; ) {
            const page = await readEventRange(pool, matchId, from, upTo, LIMITS.MAX_PAGE_EVENTS);
            events.push(...page);
            if (page.length < LIMITS.MAX_PAGE_EVENTS) return events;
            from = page[page.length - 1]!.cursor;
          }
        },
        readOnAir: (matchId) => getOnAirRow(pool, matchId),
        consoleOnline: (consoleId) => presence.isOnline(consoleId),
      },
    });
    // Every process puts every commit on air for its own sockets (the bus reaches all processes).
    bus.on((message) => {
      if (message.type === 'batch') for (const m of message.matches) broadcaster.committed(m);
      else if (message.type === 'match-created') broadcaster.created(message.snapshot);
      else if (message.type === 'epoch')
        broadcaster.writerChanged(message.matchId, message.writerConsoleId, message.epoch > 0);
      else if (message.type === 'verification')
        broadcaster.verificationChanged(message.matchId, message.verification, message.verificationAlert);
    });
    await presence.resetOwn();
    await closeStaleSessions(pool, serverId);

    const freshness = async (matchId: string) => {
      const row = await getFreshnessRow(readerPool, matchId);
      return {
        lastEventAt: row?.lastEventAt ?? null,
        lastStoredAt: row?.lastStoredAt ?? null,
        consoleOnline: presence.isOnline(row?.writerConsoleId ?? null),
        verified: verifiedOf(row?.verification), // contract 1.1: null while there is no verify stream
      };
    };
    const freshnessOf = async (matchIds: readonly string[]) => {
      const rows = await getFreshnessRows(readerPool, matchIds);
      const out = new Map<string, Awaited<ReturnType<typeof freshness>>>();
      for (const [id, row] of rows)
        out.set(id, {
          lastEventAt: row.lastEventAt,
          lastStoredAt: row.lastStoredAt,
          consoleOnline: presence.isOnline(row.writerConsoleId),
          verified: verifiedOf(row.verification),
        });
      return out;
    };
    const broadcastDeps = {
      ...createBroadcastDeps(config, readerPool, tokens, bus, broadcaster, presence, freshness),
      freshnessOf,
    };

    // Handover notices need the /console namespace, which exists only once io does.
    let notifyHandover = (_matchId: string, _epoch: number, _previous: string | null, _next: string | null) => {};
    // Express must be the server's request listener BEFORE Socket.io attaches: engine.io then
    // keeps it for everything but /socket.io/. Registered afterwards, Express also answers
    // long-polling requests and the process dies on ERR_HTTP_HEADERS_SENT.
    const httpServer = createServer(
      createHttpApp({
        pool,
        tokens,
        ingest,
        presence,
        notifyHandover: (...args) => notifyHandover(...args),
        metrics,
        logger,
        broadcastRouter: Router().use(
          createTokensRouter({
            pool,
            tokens,
            gate,
            sessionTtlSeconds: config.tokenTtlSeconds,
            namespaces: () => tokenNamespaces(),
            streams,
            logger,
          }),
          createBroadcastRouter({ ...broadcastDeps, trackStream: streams.track }),
        ),
        beforeRoutes: security.httpGuards,
        trustProxy: config.trustProxy,
      }),
    );
    const io = new Server(httpServer, {
      maxHttpBufferSize: config.maxMessageBytes,
      serveClient: false,
      // Socket.io v2 clients (Engine.IO 3), still common in broadcast plugins: their handshake
      // query is read as the auth (server/sockets/handshake.ts).
      allowEIO3: true,
      // Origin allowlist (cross-site WebSocket hijacking) and CORS; the admin UI's origin when it is on.
      ...security.serverOptions,
    });
    security.watch(io);
    const consoleNsp = io.of('/console') as unknown as ConsoleNamespace;
    notifyHandover = (matchId, epoch, previous, next) => {
      if (previous && previous !== next) consoleNsp.to(consoleRoom(previous)).emit('match:fenced', { matchId, epoch });
      if (next) consoleNsp.to(consoleRoom(next)).emit('match:assigned', { matchId, epoch });
    };

    const adapter = await installAdapter(io, config, database.url, logger);
    cleanups.unshift(() => adapter.close());
    const liveNsp = io.of('/live');
    // Every process tells its own consoles (the bus reaches all processes).
    bus.on((message) => {
      if (message.type === 'match-created')
        consoleNsp.local.emit('schedule:changed', { court: message.snapshot.court });
    });
    if (config.adapter !== 'memory') bus.attach(liveNsp as unknown as Namespace);

    const sessions = new Map<string, SessionHandle>();
    const sessionWrites = new Set<Promise<void>>();
    for (const nsp of [consoleNsp, liveNsp] as Namespace<any, any, any, SocketData>[]) {
      requireHandshake(
        nsp,
        tokens,
        nsp.name === '/console' ? ['scorer', 'admin'] : ['admin', 'scorer', 'viewer'],
        logger,
        { requireConsoleId: nsp.name === '/console' },
      );
      security.guardNamespace(nsp);
      if (nsp.name === '/console') limitConsolesPerUser(nsp, logger);
      nsp.on('connection', (socket) => {
        const { user, consoleId } = socket.data;
        metrics.connections.inc({ namespace: nsp.name });
        const session = new SessionHandle(pool, logger, serverId, {
          socketId: socket.id,
          namespace: nsp.name,
          // Synthetic subjects (graphics viewer tokens) have no users row to reference.
          userId: user.subject ? null : user.id,
          username: user.username,
          role: user.role,
          consoleId,
        });
        sessions.set(socket.id, session);
        endOnExpiry(socket);
        // Every console and display measures its clock offset here (one time base).
        attachTimeSync(socket);
        socket.onAny((event: string) => {
          session.touch();
          if (config.debugSockets)
            logger.info({ nsp: nsp.name, socket: socket.id, user: user.username, event }, 'socket in');
        });
        if (config.debugSockets) {
          socket.onAnyOutgoing((event: string) =>
            logger.info({ nsp: nsp.name, socket: socket.id, event }, 'socket out'),
          );
          logger.info({ nsp: nsp.name, socket: socket.id, user: user.username, consoleId }, 'socket connected');
        }
        socket.on('disconnect', (reason) => {
          metrics.connections.dec({ namespace: nsp.name });
          sessions.delete(socket.id);
          const write = session.close(reason);
          sessionWrites.add(write);
          void write.finally(() => sessionWrites.delete(write));
          if (config.debugSockets) logger.info({ nsp: nsp.name, socket: socket.id, reason }, 'socket disconnected');
        });
      });
    }
    setupConsoleNamespace(consoleNsp, {
      ingest,
      presence,
      listSnapshots: (courts) => listSnapshots(pool, courts ? { courts } : {}),
      session: (id) => sessions.get(id),
      verify,
      logger,
      stillAllowed: (socket) => gate.check({ user: socket.data.user, expiresAt: socket.data.expiresAt }),
    });
    tokenNamespaces = () => [consoleNsp, liveNsp] as Namespace<any, any, any, SocketData>[];
    enforceRevocations(gate, tokenNamespaces, streams, logger);
    const stopPruner = startPresencePruner(pool, bus, logger);
    cleanups.unshift(async () => stopPruner());
    const stopLive = setupLiveNamespace(liveNsp as never, {
      broadcaster,
      sources: {
        // Viewers' reads, on the readers' pool: a flood of catch-ups never holds the main pool.
        readCatchUp: (matchId, after, upTo, snapshot) => readCatchUp(readerPool, matchId, after, upTo, snapshot),
        listOnAir: (courts) => listOnAirRows(readerPool, courts),
      },
      bus,
      metrics,
      logger,
      limits: { writeBufferLimit: config.liveWriteBufferLimit, drainTimeoutMs: config.liveDrainTimeoutMs },
    });
    if (config.adminUi) {
      const { instrument } = await import('@socket.io/admin-ui');
      instrument(io, {
        auth: { type: 'basic', username: config.adminUi.username, password: config.adminUi.passwordHash },
        readonly: config.adminUi.readonly,
        serverId,
        namespaceName: '/admin',
        // 'development' (the default without NODE_ENV) relays every event payload of every socket to the UI.
        mode: 'production',
      });
    }

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const address = httpServer.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    logger.info({ url, port, adapter: config.adapter, embeddedDatabase: Boolean(database.embedded) }, 'listening');

    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        logger.info('shutting down');
        const deadline = setTimeout(() => logger.warn('shutdown: timed out waiting'), CLOSE_TIMEOUT_MS);
        try {
          await commits.drain();
          broadcaster.flush();
          stopLive();
          // io.close's callback comes once the HTTP server is closed too; its own promise earlier.
          const ioClosed = new Promise<void>((resolve, reject) => {
            io.close(() => resolve()).catch(reject);
          });
          // A client that stopped reading keeps its TCP connection open forever: cut it.
          httpServer.closeAllConnections();
          await ioClosed;
          await Promise.allSettled([...sessionWrites]);
          for (const cleanup of cleanups)
            await cleanup().catch((e: Error) => logger.warn({ err: e.message }, 'shutdown step failed'));
        } finally {
          clearTimeout(deadline);
        }
        logger.info('stopped');
      })());

    return {
      url,
      port,
      serverId,
      databaseUrl: database.url,
      metrics,
      logger,
      io,
      pendingEvents: () => commits.pending,
      close,
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    throw error;
  }
}

function createBroadcastDeps(
  config: ServerConfig,
  pool: import('pg').Pool,
  tokens: TokenService,
  bus: Bus,
  broadcaster: Broadcaster,
  presence: PresenceTracker,
  freshness: BroadcastDeps['freshness'],
): BroadcastDeps {
  const presenceListeners = new Set<Parameters<BroadcastDeps['onPresence']>[0]>();
  /**
   * The matches a console writes: those on air here, and those PostgreSQL names it the
   * writer of (a console that never reported a matchId, or whose match has had no event
   * since this process started).
   */
  const matchesFedBy = async (consoleId: string): Promise<string[]> => {
    const ids = new Set(broadcaster.writtenBy(consoleId));
    try {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM matches WHERE writer_console_id = $1', [
        consoleId,
      ]);
      for (const row of rows) ids.add(row.id);
    } catch {
      // storage unreachable: the matches on air here still hear of it
    }
    return [...ids];
  };
  /** Last online state seen per console: only a flip needs the lookup. */
  const lastOnline = new Map<string, boolean>();
  /** Presence reaches the listeners in bus order, each with the matches its console writes. */
  let presenceTurn: Promise<void> = Promise.resolve();
  const matchListeners = new Set<(snapshot: MatchSnapshot) => void>();
  const announce = (snapshot: MatchSnapshot) => {
    for (const l of matchListeners) l(snapshot);
  };
  bus.on((message) => {
    switch (message.type) {
      case 'batch':
      // Verifications reach the SSE streams through the broadcaster (onVerification).
      case 'verification':
        break;
      case 'presence': {
        const presence = message.presence;
        const flipped = lastOnline.get(presence.consoleId) !== presence.online;
        lastOnline.set(presence.consoleId, presence.online);
        const fed = flipped ? matchesFedBy(presence.consoleId) : Promise.resolve([]);
        presenceTurn = presenceTurn.then(async () => {
          const matchIds = await fed;
          for (const l of presenceListeners) {
            try {
              l(presence, matchIds);
            } catch {
              // one listener's failure must not stop the others or the next presence
            }
          }
        });
        break;
      }
      case 'match-created':
        announce(message.snapshot);
        break;
      case 'epoch':
        // A handover changes the snapshot's epoch without an event.
        void getSnapshot(pool, message.matchId).then(
          (snapshot) => snapshot && announce(snapshot),
          () => {},
        );
        break;
    }
  });
  return {
    pool,
    authenticate: async (token) => (await tokens.verify(token))?.user ?? null,
    listSnapshots: (filter) => listSnapshots(pool, filter ?? {}),
    getSnapshot: (id) => getSnapshot(pool, id),
    freshness,
    onUpdate: (listener) => broadcaster.onUpdate(listener),
    onVerification: (listener) => broadcaster.onVerification(listener),
    onMatch: (listener: (snapshot: MatchSnapshot) => void) => {
      matchListeners.add(listener);
      return () => matchListeners.delete(listener);
    },
    onPresence: (listener) => {
      presenceListeners.add(listener);
      return () => presenceListeners.delete(listener);
    },
    listPresence: () => presence.list(),
    mintViewerToken: (label, ttlSeconds) => tokens.mintViewerToken(label, ttlSeconds),
    settings: {
      adminUiEnabled: Boolean(config.adminUi),
      consoleOfflineAlertMs: config.consoleOfflineAlertMs,
      backlogAlertEvents: config.backlogAlertEvents,
    },
  };
}

/**
 * Socket.io adapters for several server processes: postgres (same database, table
 * socket_io_attachments from the migrations) or redis (SCOREDESK_REDIS_URL).
 * The in-memory default serves one process.
 */
import pg from 'pg';
import type { Server } from 'socket.io';
import type { ServerConfig } from './config.js';
import type { Logger } from './logger.js';

export interface AdapterHandle {
  close(): Promise<void>;
}

export async function installAdapter(
  io: Server,
  config: ServerConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<AdapterHandle> {
  switch (config.adapter) {
    case 'memory':
      return { close: async () => {} };
    case 'postgres': {
      // Loaded only where used: a one-process deployment does not carry the adapters (memory).
      const { createAdapter: createPostgresAdapter } = await import('@socket.io/postgres-adapter');
      // Its own small pool: LISTEN holds a connection for the adapter's lifetime.
      const pool = new pg.Pool({
        connectionString: databaseUrl,
        max: 4,
        connectionTimeoutMillis: ADAPTER_CONNECT_TIMEOUT_MS,
      });
      releaseDeadListenClients(pool);
      pool.on('error', (error) => logger.warn({ err: error.message }, 'postgres adapter: pool error'));
      // The adapter keeps its LISTEN client checked out of this pool with no 'error' listener:
      // when PostgreSQL restarts, that 'error' event was unhandled and killed the process.
      // Every client of this pool logs instead; the adapter reconnects on the client's 'end'.
      pool.on('connect', (client) =>
        client.on('error', (error) => logger.warn({ err: error.message }, 'postgres adapter: connection lost')),
      );
      io.adapter(
        createPostgresAdapter(pool, {
          tableName: 'socket_io_attachments',
          heartbeatInterval: POSTGRES_HEARTBEAT_INTERVAL_MS,
          heartbeatTimeout: POSTGRES_HEARTBEAT_TIMEOUT_MS,
          errorHandler: (e: Error) => logger.warn({ err: e.message }, 'postgres adapter'),
        }),
      );
      return { close: () => pool.end() };
    }
    case 'redis': {
      const [{ createClient }, { createAdapter: createRedisAdapter }] = await Promise.all([
        import('redis'),
        import('@socket.io/redis-adapter'),
      ]);
      const pub = createClient({ url: config.redisUrl });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis adapter'));
      await Promise.all([pub.connect(), sub.connect()]);
      io.adapter(createRedisAdapter(pub, sub));
      return {
        close: async () => {
          await Promise.allSettled([pub.quit(), sub.quit()]);
        },
      };
    }
  }
}

/**
 * The postgres adapter learns which processes are alive from their messages; one that has
 * sent nothing for the timeout is forgotten (socket.io-adapter's ClusterAdapterWithHeartbeat,
 * defaults 5 s / 10 s). Until then every cluster-wide request expects its answer: the
 * connection cap's count (server/security/connection-cap.ts) waits for a killed process
 * at most CLUSTER_COUNT_TIMEOUT_MS and meanwhile counts only its own process. 1 s / 3 s
 * forget a killed process within 3-4 s (the adapter checks every second) instead of 10-11 s,
 * for one small NOTIFY per namespace per second from an idle process (any other message it
 * sends counts as a heartbeat); a process whose event loop stalls for up to 2 s is kept.
 * The redis adapter needs neither: it counts the processes subscribed to its channel, and a
 * killed process's subscription ends with its connection.
 */
export const POSTGRES_HEARTBEAT_INTERVAL_MS = 1_000;
const POSTGRES_HEARTBEAT_TIMEOUT_MS = 3_000;

/** Waiting for a connection of the adapter's pool must end: the adapter retries on failure. */
const ADAPTER_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The adapter checks its LISTEN client out of the pool and never gives it back, even when
 * the connection dies: every PostgreSQL restart leaked one of the pool's 4 slots, and from
 * the fifth on the adapter waited for a connection forever, so batches no longer reached
 * the other processes' viewers. Give a checked-out client back (as broken) when it ends.
 * Only promise-style connect() is wrapped: pool.query() uses the callback form.
 */
function releaseDeadListenClients(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (cb?: unknown) => Promise<pg.PoolClient> | void;
  (pool as unknown as { connect: (cb?: unknown) => unknown }).connect = (callback?: unknown) => {
    if (callback) return connect(callback);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      client.once('end', () => {
        try {
          client.release(new Error('connection ended'));
        } catch {
          // already given back
        }
      });
      return client;
    });
  };
}

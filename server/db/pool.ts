/** The PostgreSQL pool and the one transaction helper everything writes through. */
import pg from 'pg';

/** Pool size: one flush transaction, a few reads, health checks; PostgreSQL is local. */
const POOL_MAX = 10;
/** Connecting must fail fast when PostgreSQL is down, so acks turn into UNAVAILABLE quickly. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Health probe: a real round trip, bounded. */
export const HEALTH_TIMEOUT_MS = 1_500;

// bigint columns (cursor) fit in a JS number for the life of any deployment (2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function createPool(url: string, max = POOL_MAX): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
  });
  // An idle client losing its connection (PostgreSQL restarted) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  // A checked-out client has no error listener of the pool's: when PostgreSQL restarts
  // mid-transaction its 'error' event would be unhandled and kill the process.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    // A broken client keeps the listener: it is discarded and may still report errors.
    if (!broken) client.removeListener('error', onError);
    client.release(broken);
  }
}

/** `SELECT 1` with a short timeout: true when PostgreSQL answers. */
export async function databaseReachable(pool: pg.Pool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
  });
  const probe = pool
    .query('SELECT 1')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

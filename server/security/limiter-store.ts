/**
 * Where rate-limit counters live. One process: memory. Several processes (SCOREDESK_ADAPTER
 * postgres or redis): a store they share, so a user spreading sockets over processes
 * still meets one limit. Per-socket counters always stay in memory: a socket lives on
 * exactly one process.
 */
import type pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { createClient } from 'redis';

export type SharedStore =
  | { kind: 'memory' }
  | { kind: 'postgres'; pool: pg.Pool }
  | { kind: 'redis'; client: ReturnType<typeof createClient> };

/** Table for RateLimiterPostgres; rate-limiter-flexible creates it when missing. */
const LIMITS_TABLE = 'rate_limits';

export interface LimiterSpec {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

export async function createSharedLimiter(store: SharedStore, spec: LimiterSpec): Promise<RateLimiterAbstract> {
  const base = { keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.durationSeconds };
  switch (store.kind) {
    case 'memory':
      return new RateLimiterMemory(base);
    case 'postgres':
      return new Promise((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          {
            ...base,
            storeClient: store.pool,
            storeType: 'pool',
            tableName: LIMITS_TABLE,
            clearExpiredByTimeout: false,
          },
          (error?: Error) => (error ? reject(error) : resolve(limiter)),
        );
      });
    case 'redis':
      return new RateLimiterRedis({ ...base, storeClient: store.client, useRedisPackage: true });
  }
}

export function isRateLimiterRes(value: unknown): value is { msBeforeNext: number; consumedPoints: number } {
  return typeof value === 'object' && value !== null && 'msBeforeNext' in value && !(value instanceof Error);
}

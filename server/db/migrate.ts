/** Applies pending migrations (migrations/*.sql) with node-pg-migrate; a no-op when all are applied. */
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.js';
import { REPO_ROOT } from '../repo-paths.js';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');

export async function runMigrations(databaseUrl: string, logger?: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    // Several server processes may start at once: the second waits for the first.
    advisoryLockMode: 'wait',
    log: (msg: string) => logger?.debug({ msg }, 'migrate'),
    logger: {
      debug: () => {},
      info: (msg: string) => logger?.debug({ migrate: msg }),
      warn: (msg: string) => logger?.warn({ migrate: msg }),
      error: (msg: string) => logger?.error({ migrate: msg }),
    },
  });
  return applied.map((m) => m.name);
}

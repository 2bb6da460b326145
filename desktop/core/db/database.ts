/**
 * Opens the console's SQLite file: WAL (readers never block the writer), synchronous=FULL
 * (a committed event survives power loss, not just a process crash) and the schema
 * migrations. No Electron here: main passes the Electron build of better-sqlite3 as
 * `nativeBinding`; tests and the web host use the plain Node build.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

/** Name of the database file inside the data folder. */
export const DATABASE_FILE = 'scoredesk-console.sqlite';
/** Wait this long for a lock held by another connection (a backup tool, a second reader) before failing. */
const BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  dataDir: string;
  /** Path of better_sqlite3.node built for the running runtime (Electron), else the default build. */
  nativeBinding?: string;
  /** FULL is the product setting; NORMAL exists only as the benchmark's reference. */
  synchronous?: 'FULL' | 'NORMAL';
}

export function openConsoleDatabase(options: OpenOptions): SqliteDatabase {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: SqliteDatabase): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(
      `console database is version ${current}, newer than this app (${MIGRATIONS.length}): update Scoredesk`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

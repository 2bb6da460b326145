/**
 * Test rig for the console core against the real thing: a fresh PostgreSQL database, the
 * real server as a child process (SIGKILL-able, restartable on the same port), console
 * cores on temporary SQLite folders, and direct reads of match_events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { ConsoleView } from '../../desktop/contract/api.js';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreOptions } from '../../desktop/core/console-core.js';
import { createTestDatabase } from './postgres.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from './server-process.js';

export const ADMIN = { username: 'admin', password: CHILD_ADMIN_PASSWORD };
/** Long enough for a server restart, reconnect backoff and a backlog drain on two busy cores. */
export const SETTLE_MS = 45_000;

export interface StoredRow {
  seq: number;
  cursor: number;
  console_id: string;
  epoch: number;
  event_type: string;
}

export class SyncRig {
  readonly cores: ConsoleCore[] = [];
  readonly dirs: string[] = [];

  private constructor(
    readonly db: { url: string; drop: () => Promise<void> },
    readonly server: RestartableServer,
    readonly pool: pg.Pool,
  ) {}

  static async start(prefix: string, env: Record<string, string> = {}): Promise<SyncRig> {
    const db = await createTestDatabase(prefix);
    const server = await RestartableServer.start({ databaseUrl: db.url, env });
    return new SyncRig(db, server, new pg.Pool({ connectionString: db.url, max: 2 }));
  }

  newDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-console-'));
    this.dirs.push(dir);
    return dir;
  }

  async core(options: Partial<ConsoleCoreOptions> = {}): Promise<ConsoleCore> {
    const core = await createConsoleCore({
      dataDir: options.dataDir ?? this.newDir(),
      serverUrl: this.server.url,
      credentials: ADMIN,
      court: 'C1',
      logger: pino({ level: process.env.SCOREDESK_CORE_TEST_LOG ?? 'silent' }),
      ...options,
    });
    this.cores.push(core);
    return core;
  }

  async stored(matchId: string): Promise<StoredRow[]> {
    const r = await this.pool.query<StoredRow>(
      `SELECT seq, "cursor"::int AS cursor, console_id::text, epoch, event_type FROM match_events
       WHERE match_id = $1 ORDER BY "cursor"`,
      [matchId],
    );
    return r.rows;
  }

  async close(): Promise<void> {
    for (const core of this.cores) await core.close().catch(() => undefined);
    await this.server.kill9().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
    await this.db.drop().catch(() => undefined);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolve with the first view that satisfies `predicate` (checked on every view, and now). */
export async function waitForView(
  core: ConsoleCore,
  predicate: (view: ConsoleView) => boolean,
  timeoutMs = SETTLE_MS,
  what = 'the expected view',
): Promise<ConsoleView> {
  const now = await core.view();
  if (predicate(now)) return now;
  return new Promise((resolve, reject) => {
    let last = now;
    const timer = setTimeout(() => {
      unsubscribe();
      clearInterval(poll);
      reject(new Error(`timed out waiting for ${what}; last sync status ${JSON.stringify(last.sync)}`));
    }, timeoutMs);
    const check = (view: ConsoleView) => {
      last = view;
      if (!predicate(view)) return;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve(view);
    };
    const unsubscribe = core.subscribe(check);
    // Timers (backoff) change state without a command: look now and then too.
    const poll = setInterval(() => void core.view().then(check), 250);
  });
}

export const drained = (view: ConsoleView) => view.sync.pendingTotal === 0 && view.sync.state === 'live';

/** Scores `n` points for `side` on `core`, failing the test on the first refusal. */
export async function scorePoints(core: ConsoleCore, side: 'home' | 'away', n = 1): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await core.run('score', { side });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
}

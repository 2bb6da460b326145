/**
 * The real console core (desktop/core) in a child process, via the console-core
 * worker test/support/console-worker.ts: scores until a target seq, reporting
 * each committed seq, so a test can SIGKILL it mid-write and start it again on the same
 * data folder. Also reads the console's SQLite afterwards as a checker source.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MatchEvent } from '../../../shared/events.js';
import type { WorkerConfig } from '../../support/console-worker.js';
import type { ConsoleSource } from './checker.js';

const WORKER = path.resolve('test/support/console-worker.ts');
/** The console core's database file name (desktop/core/db/database.ts). */
const DATABASE_FILE = 'scoredesk-console.sqlite';

/** What the worker is started with (test/support/console-worker.ts). */
export type ConsoleProcessConfig = WorkerConfig;

export class ConsoleProcess {
  readonly committed: number[] = [];
  readonly lines: string[] = [];
  matchId: string | null = null;
  drained = false;
  readonly exit: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(config: ConsoleProcessConfig) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exit = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) this.onLine(line);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.lines.push(chunk.toString()));
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exit;
  }

  private onLine(line: string): void {
    this.lines.push(line);
    let msg: { committed?: number; match?: string; drained?: boolean };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if (msg.match) this.matchId = msg.match;
    if (msg.committed) this.committed.push(msg.committed);
    if (msg.drained) this.drained = true;
  }
}

export interface ConsoleDatabaseState {
  integrity: string;
  source: ConsoleSource;
  confirmedSeq: number;
}

/** Read what the console holds for a match, after its process has exited. */
export function readConsoleDatabase(dataDir: string, matchId: string, name: string): ConsoleDatabaseState {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const rows = db
      .prepare('SELECT seq, type, payload, at, epoch, console_id, cursor FROM events WHERE match_id = ? ORDER BY seq')
      .all(matchId) as Array<{
      seq: number;
      type: string;
      payload: string;
      at: string;
      epoch: number;
      console_id: string;
      cursor: number | null;
    }>;
    const outbox = db.prepare('SELECT confirmed_seq FROM outbox WHERE match_id = ?').get(matchId) as
      | { confirmed_seq: number }
      | undefined;
    const consoleId = rows[0]?.console_id ?? '';
    return {
      integrity,
      confirmedSeq: outbox?.confirmed_seq ?? 0,
      source: {
        name,
        consoleId,
        matchId,
        role: 'writer',
        ackedSeq: outbox?.confirmed_seq ?? 0,
        events: rows.map(
          (r) =>
            ({
              seq: r.seq,
              type: r.type,
              payload: JSON.parse(r.payload),
              at: r.at,
              cursor: r.cursor,
              epoch: r.epoch,
            }) as MatchEvent & { cursor: number | null; epoch: number },
        ),
      },
    };
  } finally {
    db.close();
  }
}

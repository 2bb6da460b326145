/**
 * The console process killed (-9) in the middle of scoring, again and again, then restarted
 * on the same data folder: SQLite opens intact, no seq is reused or skipped, every event the
 * worker reported as committed survived, and all of them reach PostgreSQL exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it, onTestFailed, vi } from 'vitest';
import { testRandom } from '../../test/support/random.js';
import { DATABASE_FILE } from './db/database.js';
import type { WorkerConfig } from './testing/console-worker.js';
import { ADMIN, SyncRig } from './testing/sync-rig.js';

const WORKER = path.resolve(import.meta.dirname, 'testing/console-worker.ts');
const TARGET_SEQ = 400;

let rig: SyncRig;
beforeAll(async () => {
  rig = await SyncRig.start('corecrash');
});
afterAll(async () => rig?.close());

interface Worker {
  child: ChildProcess;
  committed: number[];
  lines: string[];
  exit: Promise<number | null>;
}

function startWorker(config: WorkerConfig): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w: Worker = {
    child,
    committed: [],
    lines: [],
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      w.lines.push(line);
      const msg = JSON.parse(line) as { committed?: number };
      if (msg.committed) w.committed.push(msg.committed);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => w.lines.push(chunk.toString()));
  return w;
}

/** Until the worker has committed `seq` (its last lines in the error otherwise). */
async function committedAtLeast(w: Worker, seq: number, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if ((w.committed.at(-1) ?? 0) < seq) throw new Error(`${what}: not at ${seq}\n${w.lines.slice(-10).join('\n')}`);
    },
    { timeout: 60_000, interval: 20 },
  );
}

it('survives kill -9 of the console mid-scoring: intact SQLite, gapless seqs, everything stored once', async () => {
  const dataDir = rig.newDir();
  const config: WorkerConfig = {
    dataDir,
    serverUrl: rig.server.url,
    username: ADMIN.username,
    password: ADMIN.password,
    court: 'C1',
    targetSeq: TARGET_SEQ,
    gapMs: 2,
  };
  const random = testRandom();
  let reported = 0;
  for (let round = 0; round < 3; round++) {
    const w = startWorker(config);
    onTestFailed(() => void w.child.kill('SIGKILL'));
    // Killed somewhere 40-100 events into the round (seeded: a failure replays).
    const killAfter = reported + random.int(40, 99);
    await committedAtLeast(w, killAfter, `worker round ${round} scoring`);
    w.child.kill('SIGKILL');
    expect(await w.exit).toBeNull();
    reported = Math.max(reported, ...w.committed);
    // A restarted console resumes exactly after the last committed seq.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const seqs = db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
    db.close();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(reported);
  }

  const last = startWorker(config);
  // Bounded by the test's timeout; a worker still running then is killed.
  onTestFailed(() => void last.child.kill('SIGKILL'));
  expect(await last.exit, last.lines.slice(-10).join('\n')).toBe(0);
  const resumed = last.lines.map((l) => JSON.parse(l) as { resumed?: number; match?: string }).find((m) => m.resumed);
  expect(resumed!.resumed).toBeGreaterThanOrEqual(reported);

  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const seqs = db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
  const matchId = db.prepare('SELECT id FROM matches').pluck().get() as string;
  db.close();
  expect(seqs).toEqual(Array.from({ length: TARGET_SEQ }, (_, i) => i + 1));
  const stored = await rig.stored(matchId);
  expect(stored.map((r) => r.seq)).toEqual(seqs);
});

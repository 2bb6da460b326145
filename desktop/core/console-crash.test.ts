/**
 * The console process killed (-9) in the middle of scoring, again and again, then restarted
 * on the same data folder: SQLite opens intact, no seq is reused or skipped, every event the
 * worker reported as committed survived, and all of them reach PostgreSQL exactly once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it, onTestFailed, vi } from 'vitest';
import { ConsoleProcess, type ConsoleProcessConfig } from '../../test/faults/harness/console-process.js';
import { testRandom } from '../../test/support/random.js';
import { DATABASE_FILE } from './db/database.js';
import { ADMIN, SyncRig } from '../../test/support/console-rig.js';

const TARGET_SEQ = 400;

let rig: SyncRig;
beforeAll(async () => {
  rig = await SyncRig.start('corecrash');
});
afterAll(async () => rig?.close());

/** Until the worker has committed `seq` (its last lines in the error otherwise). */
async function committedAtLeast(w: ConsoleProcess, seq: number, what: string): Promise<void> {
  await vi.waitFor(
    () => {
      if ((w.committed.at(-1) ?? 0) < seq) throw new Error(`${what}: not at ${seq}\n${w.lines.slice(-10).join('\n')}`);
    },
    { timeout: 60_000, interval: 20 },
  );
}

it('survives kill -9 of the console mid-scoring: intact SQLite, gapless seqs, everything stored once', async () => {
  const dataDir = rig.newDir();
  const config: ConsoleProcessConfig = {
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
    const w = new ConsoleProcess(config);
    onTestFailed(() => void w.kill9());
    // Killed somewhere 40-100 events into the round (seeded: a failure replays).
    const killAfter = reported + random.int(40, 99);
    await committedAtLeast(w, killAfter, `worker round ${round} scoring`);
    await w.kill9();
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

  const last = new ConsoleProcess(config);
  // Bounded by the test's timeout; a worker still running then is killed.
  onTestFailed(() => void last.kill9());
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

/**
 * Faults row "console killed mid-write": the real console core runs in a child process
 * and is SIGKILLed while scoring, several times, once of them while its network link is
 * black-holed; each time it restarts on the same data folder. Afterwards its SQLite is
 * intact, no seq was reused or skipped, every event it reported committed survived, and
 * all reached PostgreSQL exactly once; console, PostgreSQL and a viewer agree.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres.js';
import { userToken } from './harness/api.js';
import { checkConsistency } from './harness/checker.js';
import { ConsoleProcess, readConsoleDatabase, type ConsoleProcessConfig } from './harness/console-process.js';
import { FaultRig } from './harness/rig.js';
import { until, withDeadline } from '../support/wait.js';
import { RecordingViewer } from './harness/viewer.js';
import { testPassword } from '../support/api-client.js';

const TARGET_SEQ = 150;
const KILLS = 3;
const WORKER_WAIT_MS = 60_000;

let rig: FaultRig;
let drop: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  const db = await createTestDatabase('faults_kill');
  drop = db.drop;
  rig = await FaultRig.start({ databaseUrl: db.url, courts: 0, viewers: 0, seed: 71 });
  dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-faultconsole-'));
});

afterAll(async () => {
  await rig?.close();
  await drop?.();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('console killed mid-write', () => {
  it('keeps SQLite intact, reuses and skips no seq, delivers every committed event once', async () => {
    const username = 'fault-console-operator';
    await userToken(rig.servers[0]!.url, rig.admin, username, 'scorer');
    const config: ConsoleProcessConfig = {
      dataDir,
      serverUrl: rig.consoleProxy.url,
      username,
      password: testPassword(username),
      court: 'K1',
      targetSeq: TARGET_SEQ,
      gapMs: 5,
    };
    const reported: number[] = [];
    let viewer: RecordingViewer | null = null;
    for (let kill = 0; kill < KILLS; kill++) {
      const offline = kill === 1;
      if (offline) rig.consoleProxy.setMode('blackhole');
      const worker = new ConsoleProcess(config);
      const stopAt = reported.length + 10 + Math.floor(rig.random() * 30);
      await until(
        () => reported.length + worker.committed.length >= stopAt,
        () => `the console worker (stalled?):\n${worker.lines.slice(-10).join('\n')}`,
        WORKER_WAIT_MS,
      );
      await worker.kill9();
      reported.push(...worker.committed);
      if (offline) rig.consoleProxy.setMode('pass');
      if (!viewer && worker.matchId) {
        viewer = new RecordingViewer({
          url: rig.viewerProxy.url,
          token: rig.viewerToken,
          matchIds: [worker.matchId],
          name: 'viewer',
        });
        rig.viewers.push(viewer);
        rig.matchIds.push(worker.matchId);
      }
    }
    const last = new ConsoleProcess(config);
    const code = await withDeadline(
      last.exit,
      WORKER_WAIT_MS,
      () => `last worker did not exit:\n${last.lines.slice(-10).join('\n')}`,
    );
    expect(code, last.lines.slice(-10).join('\n')).toBe(0);
    expect(last.drained).toBe(true);
    reported.push(...last.committed);

    const matchId = rig.matchIds[0]!;
    const state = readConsoleDatabase(dataDir, matchId, 'console');
    expect(state.integrity).toBe('ok');
    const seqs = state.source.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: TARGET_SEQ }, (_, i) => i + 1));
    // Every seq the worker reported as committed survived the kills (and none was reported twice).
    expect(new Set(reported).size).toBe(reported.length);
    for (const seq of reported) expect(seqs).toContain(seq);
    expect(state.confirmedSeq).toBe(TARGET_SEQ);

    await rig.settle();
    const report = await checkConsistency({
      pool: rig.pool,
      matchIds: [matchId],
      consoles: [state.source],
      viewers: rig.viewers,
    });
    expect(report.problems).toEqual([]);
    expect(report.stored[matchId]).toBe(TARGET_SEQ);
  });
});

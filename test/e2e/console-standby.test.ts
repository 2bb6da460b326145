/**
 * Hot standby end to end (issue 16): the primary console is a web console host process of its
 * own (killed with SIGKILL mid-game), the standby the rig's host, both driven in Chromium. The
 * standby mirrors the match (STANDBY), says "Primary offline", takes over with Ctrl+Shift+T
 * (a fenced claim) and scores on; PostgreSQL holds every acknowledged point once in seq order,
 * a raw /live viewer sees the final score, and the old primary, restarted on its SQLite file,
 * is fenced and keeps the point it scored after the takeover, unsent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { freeLoopbackPort } from '../support/ports.js';
import { connectSocket, request } from '../support/server.js';
import {
  api,
  createScheduledMatch,
  pressTimes,
  queryDb,
  signInToCourt,
  startConsoleRig,
  waitSyncState,
  waitText,
  type ConsoleRig,
} from './console-harness.js';

const COURT = 'C1';
const PRIMARY = { username: 'primary-c1', password: 'primary-c1-password' };
const STANDBY = { username: 'standby-c1', password: 'standby-c1-password' };
const VIEWER = { username: 'viewer-c1', password: 'viewer-c1-password' };
const SETUP_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 240_000;
const ROOT = path.resolve(import.meta.dirname, '../..');

let rig: ConsoleRig;
let match: MatchSnapshot;
let primary: ChildProcess | null = null;
/** The primary host's output, both runs: printed when the test fails (its core logs there, not here). */
let primaryOutput = '';

/** The primary's web console host as a process of its own; resolves with its URL. */
async function startPrimary(dataDir: string, port: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'desktop/web-host/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SCOREDESK_CONSOLE_PORT: String(port),
      SCOREDESK_CONSOLE_DATA_DIR: dataDir,
      SCOREDESK_SERVER_URL: rig.server.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  primary = child;
  child.stderr!.on('data', (chunk: Buffer) => (primaryOutput += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      primaryOutput += chunk.toString();
      out += chunk.toString();
      const url = /^Scoredesk console: (\S+)/m.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`primary host exited (${code}) before it was ready: ${out}`)));
  });
}

async function killPrimary(): Promise<void> {
  const child = primary;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('hot standby in the console (two hosts, Chromium, server, PostgreSQL)', () => {
  beforeAll(async () => {
    rig = await startConsoleRig('console_standby_e2e');
    for (const user of [PRIMARY, STANDBY])
      await api(rig.server.url, 'POST', '/api/users', rig.admin, { ...user, role: 'scorer', courts: [COURT] });
    await api(rig.server.url, 'POST', '/api/users', rig.admin, { ...VIEWER, role: 'viewer' });
    match = await createScheduledMatch(rig, {
      sport: 'badminton',
      court: COURT,
      home: { name: 'Viktor Axelsen' },
      away: { name: 'Shi Yu Qi' },
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await killPrimary();
    await rig?.close();
  });

  it(
    'mirrors, says the primary is offline after kill -9, takes over with one key and fences the old primary',
    async () => {
      onTestFailed(() => console.error(`primary console host output:\n${primaryOutput.slice(-20_000)}`));
      const primaryDir = path.join(rig.dir, 'primary');
      const port = await freeLoopbackPort();
      const primaryPage = await rig.browser.newPage({ viewport: { width: 1360, height: 900 } });
      await primaryPage.goto(await startPrimary(primaryDir, port));
      await signInToCourt({ ...rig, page: primaryPage }, PRIMARY, COURT);
      await primaryPage.click(`[data-open="${match.id}"]`);
      await waitText(primaryPage, 'score-home', '0');
      await primaryPage.keyboard.press('F2');
      await waitText(primaryPage, 'match-status', 'Live');
      await pressTimes(primaryPage, 'a', 3);
      await waitText(primaryPage, 'score-home', '3');

      // The standby mirrors it, read-only.
      const { page } = rig;
      await page.goto(rig.host.url);
      await signInToCourt(rig, STANDBY, COURT);
      await page.click(`[data-standby="${match.id}"]`);
      await page.waitForSelector('[data-testid="standby"]', { timeout: 30_000 });
      await waitText(page, 'score-home', '3');
      await primaryPage.keyboard.press('l');
      await waitText(page, 'score-away', '1');
      await waitText(primaryPage, 'pending-count', '0');
      await page.keyboard.press('a');
      await waitText(page, 'score-home', '3');
      expect(await page.locator('[data-testid="primary-offline"]').count()).toBe(0);

      // kill -9 mid-game: the standby says so, and takes over with Ctrl+Shift+T.
      await killPrimary();
      await page.waitForSelector('[data-testid="primary-offline"]', { timeout: 10_000 });
      await page.keyboard.press('Control+Shift+T');
      await page.waitForSelector('[data-testid="standby"]', { state: 'detached', timeout: 30_000 });
      await waitSyncState(page, ['live']);
      await pressTimes(page, 'l', 2);
      await waitText(page, 'score-away', '3');
      await waitText(page, 'pending-count', '0');

      // Every acknowledged point once, in seq order: 1 start + 4 on the primary, 2 on the standby.
      const rows = await queryDb<{ seq: number; epoch: number; event_type: string }>(
        rig,
        'SELECT seq, epoch, event_type FROM match_events WHERE match_id = $1 ORDER BY "cursor"',
        [match.id],
      );
      expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(rows.map((r) => r.epoch)).toEqual([0, 0, 0, 0, 0, 1, 1]);

      // A viewer on a raw /live socket sees the final score.
      const { token } = await api<{ token: string }>(rig.server.url, 'POST', '/api/auth/login', undefined, VIEWER);
      const viewer = await connectSocket(rig.server.url, '/live', token);
      try {
        // The ack's snapshot may precede the last batch window; MATCH_UPDATEs bring the rest.
        let latest: MatchSnapshot | null = null;
        viewer.on('MATCH_UPDATE', (update: { matchId: string; snapshot: MatchSnapshot }) => {
          if (update.matchId === match.id) latest = update.snapshot;
        });
        const ack = await request<{ ok: boolean; snapshot: MatchSnapshot }>(viewer, 'SUBSCRIBE_MATCH', {
          matchId: match.id,
        });
        latest ??= ack.snapshot;
        await vi.waitFor(() => expect(latest).toMatchObject({ home: { score: 3 }, away: { score: 3 } }), {
          timeout: 10_000,
        });
      } finally {
        viewer.close();
      }

      // The old primary comes back on its SQLite file: the point it scores is fenced and kept, unsent.
      await primaryPage.goto(await startPrimary(primaryDir, port));
      // The score on the page means the shortcuts listen (use-shortcuts.ts); the point is stored
      // first (pending), then its push is refused as stale and the console fenced.
      await waitText(primaryPage, 'score-away', '1');
      await primaryPage.keyboard.press('a');
      await waitText(primaryPage, 'pending-count', '1');
      await waitSyncState(primaryPage, ['fenced']);
      await waitText(primaryPage, 'pending-count', '1');
      const after = await queryDb<{ n: number }>(
        rig,
        'SELECT count(*)::int AS n FROM match_events WHERE match_id = $1',
        [match.id],
      );
      expect(after[0]!.n).toBe(7);
    },
    STEP_TIMEOUT_MS,
  );
});

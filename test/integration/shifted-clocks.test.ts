/**
 * One time base under shifted clocks (issue 16): the web console host runs under
 * `faketime +5s`, a viewer under `faketime -3s`, the server on the true clock. Both show the
 * running basketball clock; read at the same server instant they agree within 100 ms.
 * The console's value is read as its screen computes it (the renderer's own socket adapter
 * and time:sync against the host, src/api/screen-time.ts), in this process, whose clock is
 * the server's; the viewer's value is normalised to that same instant by the time this
 * process measured around its answer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleView } from '../../desktop/contract/api.js';
import { createSocketConsoleApi, type SocketConsoleApi } from '../../desktop/renderer/src/api/socket-console-api.js';
import { screenOffsetMs, screenServerNow, startScreenTimeSync } from '../../desktop/renderer/src/api/screen-time.js';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../support/server.js';
import type { ConsolePresence } from '../../shared/protocol.js';
import { clockRemaining } from '../../shared/display/index.js';
import { freeLoopbackPort } from '../support/ports.js';

/** The bound: two displays of one game clock, at one server instant. */
const AGREEMENT_MS = 100;
const CONSOLE_SHIFT_MS = 5_000;
const VIEWER_SHIFT_MS = -3_000;
const MAX_SHIFT_MS = 6_000;
/** FIBA quarter: what the basketball clock starts from. */
const QUARTER_MS = 10 * 60_000;
const ROOT = path.resolve(import.meta.dirname, '../..');
const hasFaketime = spawnSync('faketime', ['-f', '+0s', 'true']).status === 0;

let server: TestServer;
let host: ChildProcess | null = null;
let viewer: ChildProcess | null = null;
let api: SocketConsoleApi | null = null;
let stopScreenSync: (() => void) | null = null;
const dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-shifted-'));

function shifted(shiftMs: number, args: string[], env: Record<string, string> = {}): ChildProcess {
  const offset = `${shiftMs >= 0 ? '+' : ''}${shiftMs / 1000}s`;
  return spawn('faketime', ['-f', offset, process.execPath, '--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // faketime forks the program: a process group of its own lets the test end both.
    detached: true,
  });
}

/** End faketime and the program it started (the whole group). */
function killGroup(child: ChildProcess | null): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** JSON lines of a child's stdout, one at a time. */
function lines(child: ChildProcess) {
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queue.push(line);
  });
  return (timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error('no line from the child')), timeoutMs);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
}

beforeAll(async () => {
  if (!hasFaketime)
    throw new Error("this test needs Debian's faketime (apt-get install faketime; .ci/run installs it)");
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  stopScreenSync?.();
  api?.close();
  for (const child of [host, viewer]) killGroup(child);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('game clock under shifted clocks (faketime)', () => {
  it('a console 5 s ahead and a viewer 3 s behind show the running clock within 100 ms', async () => {
    const match = await server.createMatch({ sport: 'basketball', court: 'FT1' });
    const hostPort = await freeLoopbackPort();
    host = shifted(CONSOLE_SHIFT_MS, ['desktop/web-host/main.ts'], {
      SCOREDESK_CONSOLE_PORT: String(hostPort),
      SCOREDESK_CONSOLE_DATA_DIR: dataDir,
      SCOREDESK_SERVER_URL: server.url,
      SCOREDESK_CONSOLE_USER: 'admin',
      SCOREDESK_CONSOLE_PASSWORD: TEST_ADMIN_PASSWORD,
    });
    const hostLines = lines(host);
    let hostUrl = '';
    while (!hostUrl) {
      const line = await hostLines(170_000);
      hostUrl = /^Scoredesk console: (\S+)/.exec(line)?.[1] ?? '';
    }

    // The console as its screen drives it: the renderer's socket adapter, in this process.
    api = createSocketConsoleApi({ url: hostUrl });
    const views: ConsoleView[] = [];
    api.subscribe((v) => views.push(v));
    await vi.waitFor(() => expect(api!.linkState()).toBe('open'), { timeout: 20_000 });
    expect(await api.run('setCourt', { court: 'FT1' })).toMatchObject({ ok: true });

    // The host measured its offset to the server: about +5 s, reported in presence.
    let hostPresence: ConsolePresence | undefined;
    await vi.waitFor(
      async () => {
        const list = (await server.http<ConsolePresence[]>('GET', '/api/presence', undefined, server.adminToken)).body;
        hostPresence = list.find((p) => p.court === 'FT1' && p.online && typeof p.clockOffsetMs === 'number');
        expect(hostPresence).toBeDefined();
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(Math.abs(hostPresence!.clockOffsetMs! - CONSOLE_SHIFT_MS)).toBeLessThan(AGREEMENT_MS);

    stopScreenSync = startScreenTimeSync(api, 1_000);
    await vi.waitFor(() => expect(screenOffsetMs()).not.toBeNull(), { timeout: 10_000 });

    expect(await api.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
    expect(await api.run('start', {})).toMatchObject({ ok: true });
    expect(await api.run('clockStart', {})).toMatchObject({ ok: true });
    await vi.waitFor(async () => {
      const stored = (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
      expect(stored.clock.running).toBe(true);
    });
    // Anchored in server time: the true now, not the console's 5 s ahead.
    const stored = (await server.http('GET', `/api/matches/${match.id}`, undefined, server.adminToken)).body;
    expect(Math.abs(Date.parse(stored.clock.anchorAt) - Date.now())).toBeLessThan(2_000);

    const viewerToken = await server.userToken('viewer');
    viewer = shifted(VIEWER_SHIFT_MS, ['test/integration/clock-viewer.ts', server.url, viewerToken, 'FT1']);
    const viewerLines = lines(viewer);
    const ready = JSON.parse(await viewerLines()) as { ready: boolean; offsetMs: number };
    expect(Math.abs(ready.offsetMs - VIEWER_SHIFT_MS)).toBeLessThan(AGREEMENT_MS);

    const consoleClock = () => views.at(-1)?.snapshot?.clock ?? null;
    await vi.waitFor(() => expect(consoleClock()?.running).toBe(true));
    // Compare once the clock has run longer than the largest shift: before that, a display
    // reading an anchor in its future clamps the elapsed time at 0 and could hide a shift.
    await vi.waitFor(
      () => expect(clockRemaining(consoleClock(), screenServerNow())).toBeLessThan(QUARTER_MS - MAX_SHIFT_MS),
      { timeout: 30_000, interval: 200 },
    );
    for (let round = 0; round < 5; round++) {
      const sentAt = Date.now();
      viewer.stdin!.write('q\n');
      const answer = JSON.parse(await viewerLines()) as { remainingMs: number; running: boolean };
      const answeredAt = Date.now();
      expect(answer.running).toBe(true);
      // This process's clock is the server's: the viewer answered at about the midpoint.
      const instant = answeredAt;
      const viewerAtInstant = answer.remainingMs - (instant - (sentAt + answeredAt) / 2);
      const consoleAtInstant = clockRemaining(consoleClock(), screenServerNow() - (Date.now() - instant));
      expect(Math.abs(consoleAtInstant - viewerAtInstant)).toBeLessThan(AGREEMENT_MS);
      // And both are the true clock: started a moment ago from the full quarter.
      expect(consoleAtInstant).toBeLessThan(QUARTER_MS - MAX_SHIFT_MS);
      expect(consoleAtInstant).toBeGreaterThan(QUARTER_MS - 60_000);
    }
  }, 240_000);
});

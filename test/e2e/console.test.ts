/**
 * The operator's screen end to end: Chromium drives the web console host (real console core,
 * real SQLite) against a real server child process on real PostgreSQL. A badminton game is
 * scored from the keyboard, a point undone, the server stopped mid-game while scoring goes on,
 * restarted, and the backlog drains; PostgreSQL must then hold exactly the console's match.
 */
import { metaFromSnapshot } from '../../shared/match.js';
import path from 'node:path';
import { createConsoleCore } from '../../desktop/core/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import {
  api,
  comparable,
  createScheduledMatch,
  pressTimes,
  queryDb,
  screenshot,
  signInToCourt,
  startConsoleRig,
  textOf,
  waitSyncState,
  waitText,
  type ConsoleRig,
} from './console-harness.js';

const COURT = 'C1';
const SCORER = { username: 'court-c1', password: 'court-c1-password' };
/** The rig starts PostgreSQL, a server, a Vite build and Chromium: bounded but not quick. */
const SETUP_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 120_000;

let rig: ConsoleRig;
let match: MatchSnapshot;

describe('scoring console end to end (web host, Chromium, server, PostgreSQL)', () => {
  beforeAll(async () => {
    rig = await startConsoleRig('console_e2e');
    await api(rig.server.url, 'POST', '/api/users', rig.admin, { ...SCORER, role: 'scorer', courts: [COURT] });
    match = await createScheduledMatch(rig, {
      sport: 'badminton',
      court: COURT,
      home: { name: 'Lee Zii Jia' },
      away: { name: 'Viktor Axelsen' },
    });
  }, SETUP_TIMEOUT_MS);

  afterEach(async (context) => {
    // A failed step leaves a picture of the screen and the core's view for the report.
    if (context.task.result?.state !== 'fail' || !rig) return;
    const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await screenshot(rig.page, `failed-${name}`).catch(() => undefined);
    const view = await rig.core.view();
    console.error(
      `view after failure: ${JSON.stringify({ sync: view.sync, info: view.info, status: view.snapshot?.status })}`,
    );
    console.error(
      `toast: ${await rig.page
        .locator('[data-testid="toast"]')
        .textContent({ timeout: 500 })
        .catch(() => 'none')}`,
    );
  });

  afterAll(async () => {
    await rig?.close();
  }, SETUP_TIMEOUT_MS);

  it(
    'signs in, picks the match from the schedule and shows it',
    async () => {
      const { page } = rig;
      await page.goto(rig.host.url);
      await page.waitForSelector('[data-testid="sync-state"]');
      await screenshot(page, '01-first-start');

      await signInToCourt(rig, SCORER, COURT);
      await page.waitForSelector(`[data-open="${match.id}"]`, { timeout: 30_000 });
      await screenshot(page, '02-schedule');
      await page.click(`[data-open="${match.id}"]`);
      await waitText(page, 'name-home', 'Lee Zii Jia');
      await waitText(page, 'score-home', '0');
      await screenshot(page, '03-match-open');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'scores a full game from the keyboard with set point shown',
    async () => {
      const { page } = rig;
      await page.keyboard.press('F2');
      await waitText(page, 'match-status', 'Live');
      // 20-10 for home, interleaved as a real game would be.
      for (let i = 0; i < 10; i++) {
        await pressTimes(page, 'a', 2);
        await page.keyboard.press('l');
      }
      await waitText(page, 'score-home', '20');
      await waitText(page, 'score-away', '10');
      expect(await textOf(page, 'point-badge')).toBe('Game point Lee Zii Jia');
      await screenshot(page, '04-game-point');
      await page.keyboard.press('a');
      await waitText(page, 'sets-home', 'Games 1');
      await waitText(page, 'score-home', '0');
      expect(await textOf(page, 'set-history')).toContain('21-10'); // the display model's set text (shared/display)
      await waitText(page, 'pending-count', '0');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'undoes a point with Ctrl+Z as a correction that stays in the log',
    async () => {
      const { page } = rig;
      await page.keyboard.press('l');
      await waitText(page, 'score-away', '1');
      await page.keyboard.press('Control+z');
      await waitText(page, 'score-away', '0');
      const cancelled = await page.locator('[data-testid="event-log"] li.cancelled').count();
      expect(cancelled).toBe(1);
      expect(await page.locator('[data-testid="event-log"] li[data-type="CORRECTION"]').count()).toBe(1);
      await screenshot(page, '05-after-undo');
      // Backspace is the second undo key; Ctrl+Y brings the point back, as a new event again.
      await page.keyboard.press('l');
      await waitText(page, 'score-away', '1');
      await page.keyboard.press('Backspace');
      await waitText(page, 'score-away', '0');
      await page.keyboard.press('Control+y');
      await waitText(page, 'score-away', '1');
      await page.keyboard.press('Control+z');
      await waitText(page, 'score-away', '0');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'keeps scoring while the server is down, showing events waiting, then drains to zero',
    async () => {
      const { page } = rig;
      await waitText(page, 'pending-count', '0');
      await rig.server.stop();
      await waitSyncState(page, ['offline', 'connecting']);

      await pressTimes(page, 'a', 5);
      await pressTimes(page, 'l', 3);
      await waitText(page, 'score-home', '5');
      await waitText(page, 'score-away', '3');
      await waitText(page, 'pending-count', '8');
      expect(await page.locator('[data-testid="event-log"] li.pending').count()).toBe(8);
      await screenshot(page, '06-offline-pending');

      await rig.server.restart();
      await waitText(page, 'pending-count', '0', 60_000);
      await waitSyncState(page, ['live']);
      expect(await page.locator('[data-testid="event-log"] li.pending').count()).toBe(0);
      await screenshot(page, '07-drained');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'leaves PostgreSQL holding exactly the console snapshot',
    async () => {
      const view = await rig.core.view();
      const consoleSnapshot = view.snapshot!;
      expect(consoleSnapshot.id).toBe(match.id);

      const rows = await queryDb<{ seq: number; console_id: string }>(
        rig,
        'SELECT seq, console_id FROM match_events WHERE match_id = $1 ORDER BY seq',
        [match.id],
      );
      // Every event of the console once, gapless: 1 start + 31 points in game 1, then point, undo,
      // point, undo, redo, undo (6) and 8 offline points.
      expect(rows.map((r) => r.seq)).toEqual(view.log.map((entry) => entry.event.seq));
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
      expect(new Set(rows.map((r) => r.console_id))).toEqual(new Set([view.info.consoleId]));

      const stats = await queryDb<{ snapshot: MatchSnapshot; home_score: number; away_score: number }>(
        rig,
        'SELECT snapshot, home_score, away_score, last_seq, event_count FROM match_statistics WHERE match_id = $1',
        [match.id],
      );
      expect(stats).toHaveLength(1);
      expect(stats[0]).toMatchObject({ home_score: 5, away_score: 3, last_seq: 46, event_count: 46 });
      expect(comparable(stats[0]!.snapshot)).toEqual(comparable(consoleSnapshot));

      // And the same state rebuilt from the stored events read through the public API.
      const events = await api<{ events: StoredEvent[] }>(
        rig.server.url,
        'GET',
        `/api/matches/${match.id}/events?after=0`,
        rig.admin,
      );
      const meta = metaFromSnapshot(match);
      expect(comparable(foldMatch(meta, events.events))).toEqual(comparable(consoleSnapshot));
    },
    STEP_TIMEOUT_MS,
  );
  it(
    'renders a team name with HTML as text, on the console and the spectator board',
    async () => {
      const { page } = rig;
      const hostile = '<img src=x onerror="window.__pwned=1">';
      await page.getByRole('button', { name: 'Matches' }).click();
      await page.selectOption('.create-match select[name="sport"]', 'volleyball');
      await page.fill('.create-match input[name="home"]', hostile);
      await page.fill('.create-match input[name="away"]', '<b>Bold</b> & Co');
      await page.fill('.create-match input[name="court"]', COURT);
      await page.getByRole('button', { name: 'Create and open' }).click();
      await waitText(page, 'name-home', hostile);
      await waitText(page, 'name-away', '<b>Bold</b> & Co');
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('[data-testid="name-away"] b').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

      const board = await rig.browser.newPage({ viewport: { width: 1280, height: 720 } });
      try {
        await board.goto(`${rig.host.url}#/scoreboard`);
        await waitText(board, 'name-home', hostile);
        expect(await board.locator('img').count()).toBe(0);
        await page.keyboard.press('F2');
        await page.keyboard.press('a');
        await waitText(board, 'score-home', '1');
        await screenshot(board, '08-spectator-board');
      } finally {
        await board.close();
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'rebinds a shortcut, keeps it after a reload, and asks before ending the match',
    async () => {
      const { page } = rig;
      await page.getByRole('button', { name: 'Shortcuts' }).click();
      await page.click('[data-binding="scoreHome"] button');
      await waitText(page, 'binding-scoreHome', 'press a key…');
      await page.keyboard.press('h');
      // The panel shows the new key once it is bound and saved (the same handler does both).
      await waitText(page, 'binding-scoreHome', 'H');
      expect(await textOf(page, 'name-home')).toContain('img');
      await page.reload();
      // The score on the page means the shortcuts listen (use-shortcuts.ts: a layout effect).
      await waitText(page, 'score-home', '1');
      await page.keyboard.press('h');
      await waitText(page, 'score-home', '2');
      await page.keyboard.press('a'); // the old key does nothing now
      await page.keyboard.press('F4');
      await page.waitForSelector('[data-testid="confirm-end"]');
      await screenshot(page, '09-confirm-end');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="confirm-end"]', { state: 'detached' });
      await waitText(page, 'match-status', 'Live');
      await waitText(page, 'score-home', '2');
      await page.keyboard.press('F4');
      await page.waitForSelector('[data-testid="confirm-end"]');
      await page.keyboard.press('Enter');
      await waitText(page, 'match-status', 'Final');
      await screenshot(page, '10-final');
    },
    STEP_TIMEOUT_MS,
  );
  it(
    'shows catch-up progress while a large offline backlog drains, and stores all of it',
    async () => {
      const { page, core } = rig;
      // More than one push (PUSH_CHUNK_EVENTS is 250), so progress moves between chunks.
      const BACKLOG = 300;
      const created = await core.run('createMatch', {
        sport: 'generic',
        court: COURT,
        home: { name: 'Backlog home' },
        away: { name: 'Backlog away' },
      });
      expect(created.ok).toBe(true);
      const matchId = created.ok ? created.matchId! : '';
      await waitText(page, 'name-home', 'Backlog home');
      await waitSyncState(page, ['live']);
      await rig.server.stop();
      await waitSyncState(page, ['offline', 'connecting']);
      expect((await core.run('start', {})).ok).toBe(true);
      for (let i = 0; i < BACKLOG; i++) await core.run('score', { side: i % 3 === 0 ? 'away' : 'home' });
      await waitText(page, 'pending-count', String(BACKLOG + 1));
      await waitText(page, 'score-home', String(BACKLOG - BACKLOG / 3));

      // Record every catch-up line the screen shows while the backlog drains.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { __catchUp: string[] }).__catchUp = seen;
        new MutationObserver(() => {
          const text = document.querySelector('[data-testid="catch-up"]')?.textContent;
          if (text && seen.at(-1) !== text) seen.push(text);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      await rig.server.restart();
      await waitText(page, 'pending-count', '0', 90_000);
      const lines = await page.evaluate(() => (window as unknown as { __catchUp: string[] }).__catchUp);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((line) => /Sending backlog \d+\/\d+/.test(line))).toBe(true);
      await screenshot(page, '11-backlog-drained');

      const stored = await queryDb<{ n: string; max: number }>(
        rig,
        'SELECT count(*) AS n, max(seq) AS max FROM match_events WHERE match_id = $1',
        [matchId],
      );
      expect(stored[0]).toEqual({ n: String(BACKLOG + 1), max: BACKLOG + 1 });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'shows the server refusing a match on a court this scorer may not write, with the reason',
    async () => {
      const { page } = rig;
      await page.getByRole('button', { name: 'Matches' }).click();
      await page.fill('.create-match input[name="home"]', 'Wrong court home');
      await page.fill('.create-match input[name="away"]', 'Wrong court away');
      await page.fill('.create-match input[name="court"]', 'C9');
      await page.getByRole('button', { name: 'Create and open' }).click();
      await waitText(page, 'name-home', 'Wrong court home');
      await page.keyboard.press('F2');
      await waitText(page, 'match-status', 'Live');
      await page.waitForSelector('[data-testid="problem-banner"]', { timeout: 30_000 });
      expect(await textOf(page, 'problem-banner')).toContain('FORBIDDEN');
      expect(await textOf(page, 'pending-count')).toBe('1');
      await screenshot(page, '12-refused');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'turns read-only with a banner when the director hands the match to another console',
    async () => {
      const { page } = rig;
      await page.getByRole('button', { name: 'Matches' }).click();
      await page.click(`[data-open="${match.id}"]`);
      await waitText(page, 'name-home', 'Lee Zii Jia');
      await waitText(page, 'score-home', '5');
      await waitSyncState(page, ['live']);

      const backup = await createConsoleCore({
        dataDir: path.join(rig.dir, 'backup-console'),
        serverUrl: rig.server.url,
        credentials: SCORER,
        court: COURT,
      });
      try {
        await api(rig.server.url, 'POST', `/api/matches/${match.id}/handover`, rig.admin, {
          consoleId: backup.consoleId,
        });
        await waitSyncState(page, ['fenced']);
        expect(await textOf(page, 'problem-banner')).toContain('handed over');
        expect(await page.locator('button[data-action="scoreHome"]').isDisabled()).toBe(true);
        await page.keyboard.press('h'); // scoreHome, rebound above
        await page.waitForSelector('[data-testid="toast"]');
        expect(await textOf(page, 'toast')).toContain('read-only');
        expect(await textOf(page, 'score-home')).toBe('5');
        await screenshot(page, '13-fenced');
      } finally {
        await backup.close();
      }
    },
    STEP_TIMEOUT_MS,
  );
});

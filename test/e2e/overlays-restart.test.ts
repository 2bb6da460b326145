/**
 * An overlay on air survives the server going away: the server (child process) is
 * killed with SIGKILL and started again on the same port; meanwhile the page keeps the
 * last score, marked stale, and afterwards shows new points without a reload.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMatch, getMatch, login, userToken } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { ScoringConsole } from '../support/broadcast/scoring-console.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { createTestDatabase } from '../support/postgres.js';

const WAIT = { timeout: 30_000, polling: 100 };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;
let browser: Browser;
let desk: ScoringConsole | undefined;

beforeAll(async () => {
  db = await createTestDatabase('overlays_restart');
  server = await RestartableServer.start({ databaseUrl: db.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  desk?.close();
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

it('keeps the last score marked stale while the server is down, then follows again without a reload', async () => {
  const admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  const viewer = await userToken(server.url, admin, 'graphics', 'viewer');
  const scorer = await userToken(server.url, admin, 'desk', 'scorer');
  const match = await createMatch(server.url, admin, { sport: 'generic', court: 'R1', home: 'Reds', away: 'Blues' });
  desk = new ScoringConsole(server.url, scorer);
  await desk.start(match.id);
  await desk.point(match.id, 'home', 2);

  const { page, errors } = await watchedPage(browser);
  const sentFrames: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (frame) => sentFrames.push(String(frame.payload))));
  await page.goto(`${server.url}/overlays/scorebug?court=R1&token=${viewer}`);
  await page.waitForFunction(() => document.getElementById('home-score')?.textContent === '2', undefined, WAIT);
  await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
  expect(await page.getAttribute('#scorebug', 'class')).not.toMatch(/stale/);

  const cursorBeforeKill = Number(await page.getAttribute('#scorebug', 'data-cursor'));
  expect(cursorBeforeKill).toBeGreaterThan(0);
  await server.kill9();
  const framesBeforeRestart = sentFrames.length;
  await page.waitForFunction(() => document.body.dataset.connection === 'offline', undefined, WAIT);
  await page.waitForFunction(() => document.getElementById('scorebug')?.classList.contains('stale'), undefined, WAIT);
  expect(await page.textContent('#home-score')).toBe('2'); // last data stays on screen
  expect(await page.textContent('#home-name')).toBe('Reds');

  await server.restart(); // same port, same database and signing secret
  await desk.point(match.id, 'home', 3);
  await desk.point(match.id, 'away', 1);
  await page.waitForFunction(
    () =>
      document.getElementById('home-score')?.textContent === '5' &&
      document.getElementById('away-score')?.textContent === '1',
    undefined,
    WAIT,
  );
  await page.waitForFunction(() => !document.getElementById('scorebug')?.classList.contains('stale'), undefined, WAIT);
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  // After the reconnect the page followed its court again in frames (one frame per window);
  // the subscribe answers whole snapshots, so what it missed is on screen without a replay.
  const resubscribes = sentFrames
    .slice(framesBeforeRestart)
    .filter((f) => f.includes('"SUBSCRIBE_COURTS"') && f.includes('"frames":true') && f.includes('"R1"'));
  expect(resubscribes.length, sentFrames.join('\n')).toBeGreaterThan(0);
  expect(await page.getAttribute('#scorebug', 'data-cursor')).toBe(
    String((await getMatch(server.url, viewer, match.id)).cursor),
  );
  const stats = await page.evaluate(
    () => (window as unknown as { __overlay: { feed: { stats: { connects: number } } } }).__overlay.feed.stats,
  );
  expect(stats.connects).toBeGreaterThanOrEqual(2);
  expect(errors).toEqual([]);
});

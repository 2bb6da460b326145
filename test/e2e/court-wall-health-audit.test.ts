/**
 * The court wall in Chromium against the real server and PostgreSQL (issue 16): device
 * health per console and court, alerts by the contract's thresholds that clear with their
 * condition, the wall's own time:sync, and the per-match audit view.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { createMatch, login, userToken } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { ScoringConsole } from '../support/broadcast/scoring-console.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { createTestDatabase } from '../support/postgres.js';

const WAIT = { timeout: 15_000, polling: 100 };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let match: MatchSnapshot;
let desk: ScoringConsole;

function report(health: Record<string, unknown>) {
  return new Promise<unknown>((resolve) =>
    desk.socket.emit(
      'presence:report',
      { court: 'HW1', matchId: match.id, pending: 0, lastConfirmedAt: null, state: 'live', ...health },
      resolve,
    ),
  );
}

const alertTexts = () =>
  page.$$eval('#alerts li.alert', (items) => items.map((li) => `${li.className}|${li.textContent ?? ''}`));

beforeAll(async () => {
  db = await createTestDatabase('wallhealth');
  server = await RestartableServer.start({ databaseUrl: db.url });
  const admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  const scorer = await userToken(server.url, admin, 'desk_hw', 'scorer');
  match = await createMatch(server.url, admin, { sport: 'generic', court: 'HW1', home: 'Hawks', away: 'Owls' });
  desk = new ScoringConsole(server.url, scorer);
  await desk.connected();
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await watchedPage(browser));
  await page.goto(`${server.url}/director`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', CHILD_ADMIN_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.connection === 'live', undefined, WAIT);
});

afterAll(async () => {
  desk?.close();
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

describe('court wall: device health', () => {
  it('shows battery, round trip, clock offset and version, and alerts naming the court', async () => {
    await report({ battery: { level: 0.12, charging: false }, rttMs: 820, clockOffsetMs: 3400, appVersion: '2.0.1' });
    await page.waitForFunction(() => document.querySelectorAll('#alerts li.alert').length >= 3, undefined, WAIT);
    const alerts = await alertTexts();
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/alert-battery\|Court HW1: .*battery 12%, not charging/),
        expect.stringMatching(/alert-rtt\|Court HW1: .*820 ms round trip/),
        expect.stringMatching(/alert-clock\|Court HW1: .*clock off by \+3\.4 s/),
      ]),
    );
    const row = `#consoles tr[data-console-id="${desk.consoleId}"]`;
    expect(await page.textContent(`${row} .battery-cell`)).toBe('12%');
    expect(await page.textContent(`${row} .rtt-cell`)).toBe('820 ms');
    expect(await page.textContent(`${row} .offset-cell`)).toBe('+3.4 s');
    expect(await page.textContent(`${row} .version-cell`)).toBe('2.0.1');
    const chip = await page.textContent(`.court-card[data-court="HW1"] .console-chip`);
    expect(chip).toContain('battery 12%');
    expect(chip).toContain('clock +3.4 s');
  });

  it('clears each alert when its condition does (charging, fast link, clock right)', async () => {
    await report({ battery: { level: 0.12, charging: true }, rttMs: 820, clockOffsetMs: 3400, appVersion: '2.0.1' });
    await page.waitForFunction(() => !document.querySelector('#alerts li.alert-battery'), undefined, WAIT);
    expect((await alertTexts()).filter((a) => /alert-(rtt|clock)/.test(a))).toHaveLength(2);
    await report({ battery: { level: 0.9, charging: false }, rttMs: 40, clockOffsetMs: -120, appVersion: '2.0.1' });
    await page.waitForFunction(
      () => !document.querySelector('#alerts li.alert-rtt, #alerts li.alert-clock, #alerts li.alert-battery'),
      undefined,
      WAIT,
    );
    expect(await page.textContent(`#consoles tr[data-console-id="${desk.consoleId}"] .offset-cell`)).toBe('-120 ms');
  });

  it('measures its own clock offset to the server (time:sync)', async () => {
    await page.waitForFunction(() => typeof (window as any).__wall?.feed?.clockOffsetMs === 'number', undefined, WAIT);
    const offset = await page.evaluate(() => (window as any).__wall.feed.clockOffsetMs as number);
    expect(Math.abs(offset)).toBeLessThan(1_000); // same machine as the server
  });
});

describe('court wall: audit trail', () => {
  it('shows the match trail: first writer, events with user and console, what a correction undid', async () => {
    await desk.start(match.id);
    await desk.point(match.id, 'home', 2);
    await desk.pushOk(match.id, [{ type: 'CORRECTION', payload: { undoes: 2 } }]);
    await page.click('.court-card[data-court="HW1"] .audit-button');
    await page.waitForFunction(() => document.querySelectorAll('#audit tbody tr').length >= 5, undefined, WAIT);
    const rows = await page.$$eval('#audit tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows[0]![2]).toBe('FIRST WRITER');
    expect(rows[0]![5]).toBe('desk_hw');
    const correction = rows.find((r) => r[2] === 'CORRECTION')!;
    expect(correction[7]).toContain('undoes #2 SCORE_UPDATE');
    expect(correction[5]).toBe('desk_hw');
    expect(correction[6]).toBe(desk.consoleId.slice(0, 8));
    expect(await page.$$eval('#audit tbody tr.cancelled', (trs) => trs.length)).toBe(1);
    expect(await page.textContent('#audit-match')).toContain('Hawks v Owls');

    const download = page.waitForEvent('download');
    await page.click('#audit-csv');
    const file = await download;
    expect(file.suggestedFilename()).toBe(`audit-${match.id}.csv`);
    expect(pageErrors).toEqual([]);
  });
});

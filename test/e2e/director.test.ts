/**
 * The director's court wall end to end: a real server and PostgreSQL, consoles on
 * /console, and the wall in headless Chromium: login, live scores, presence, alerts,
 * match creation and a one-action handover to a backup console.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import type { ConsoleSyncState } from '../../shared/protocol.js';
import { createMatch, getMatch, listMatches, login, userToken } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { ScoringConsole } from '../support/broadcast/scoring-console.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { createTestDatabase } from '../support/postgres.js';

const XSS_HOME = '<img src=x onerror="window.__xss=1">';
const XSS_AWAY = '<script>window.__xss=2</script>';
const WAIT = { timeout: 15_000, polling: 100 };
/** Small thresholds so the alerts show within the test (the server reads them from its environment). */
const OFFLINE_ALERT_MS = 1_000;
const BACKLOG_ALERT_EVENTS = 10;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;
let browser: Browser;
let admin: string;
let scorer: string;
let match: MatchSnapshot;
let page: Page;
let pageErrors: string[];
const consoles: ScoringConsole[] = [];

function report(
  desk: ScoringConsole,
  body: { court: string | null; matchId: string | null; pending: number; state: ConsoleSyncState },
) {
  return new Promise<unknown>((resolve) =>
    desk.socket.emit('presence:report', { ...body, lastConfirmedAt: new Date().toISOString() }, resolve),
  );
}

function cardScore(court: string, side: 'home' | 'away'): string {
  return `.court-card[data-court="${court}"] .team-line.${side} .score`;
}

beforeAll(async () => {
  db = await createTestDatabase('director');
  server = await RestartableServer.start({
    databaseUrl: db.url,
    env: {
      SCOREDESK_CONSOLE_OFFLINE_ALERT_MS: String(OFFLINE_ALERT_MS),
      SCOREDESK_BACKLOG_ALERT_EVENTS: String(BACKLOG_ALERT_EVENTS),
    },
  });
  admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  scorer = await userToken(server.url, admin, 'desk', 'scorer');
  await userToken(server.url, admin, 'graphics', 'viewer');
  const slotStart = new Date(Date.now() - 2 * 60 * 60_000).toISOString();
  match = await createMatch(server.url, admin, {
    sport: 'volleyball',
    court: 'W1',
    home: XSS_HOME,
    away: XSS_AWAY,
    scheduledAt: slotStart,
    slotMinutes: 30,
  });
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await watchedPage(browser));
});

afterAll(async () => {
  for (const desk of consoles) desk.close();
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

describe('court wall', () => {
  it('asks for an admin login and refuses others', async () => {
    const response = await page.goto(`${server.url}/director`);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(
      () => (document.getElementById('login-error')?.textContent ?? '') !== '',
      undefined,
      WAIT,
    );
    await page.fill('input[name=username]', 'graphics');
    await page.fill('input[name=password]', 'graphics-password-1');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(
      () => /admin/.test(document.getElementById('login-error')?.textContent ?? ''),
      undefined,
      WAIT,
    );
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', CHILD_ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#wall-page:not([hidden])');
    await page.waitForFunction(() => document.body.dataset.connection === 'live', undefined, WAIT);
    // This server runs without the Socket.io admin UI: no link to it.
    expect(await page.isHidden('#admin-ui-link')).toBe(true);
  });

  it('gives the wall its settings, to admins only', async () => {
    const viewer = await login(server.url, 'graphics', 'graphics-password-1');
    const forbidden = await fetch(`${server.url}/api/director/settings`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const ok = await fetch(`${server.url}/api/director/settings`, { headers: { authorization: `Bearer ${admin}` } });
    expect(await ok.json()).toEqual({
      adminUiEnabled: false,
      adminUiUrl: null,
      consoleOfflineAlertMs: OFFLINE_ALERT_MS,
      backlogAlertEvents: BACKLOG_ALERT_EVENTS,
    });
  });

  it('shows every court with its match live, names as text', async () => {
    const desk = new ScoringConsole(server.url, scorer);
    consoles.push(desk);
    await desk.connected();
    await report(desk, { court: 'W1', matchId: match.id, pending: 0, state: 'live' });
    await page.waitForSelector('.court-card[data-court="W1"]', WAIT);
    expect(await page.textContent('.court-card[data-court="W1"] .home .team-name')).toBe(XSS_HOME);
    expect(await page.textContent('.court-card[data-court="W1"] .away .team-name')).toBe(XSS_AWAY);

    await desk.start(match.id);
    await desk.point(match.id, 'home', 3);
    await desk.point(match.id, 'away', 1);
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '3',
      cardScore('W1', 'home'),
      WAIT,
    );
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === '1',
      cardScore('W1', 'away'),
      WAIT,
    );
    await page.waitForFunction(
      () => document.querySelector('.court-card[data-court="W1"]')?.getAttribute('data-status') === 'live',
      undefined,
      WAIT,
    );
    expect(await page.locator('#wall img, #wall script, #alerts img, #consoles img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('lists consoles with presence and raises offline, backlog and overrun alerts', async () => {
    const [desk] = consoles;
    // Overrun: the slot ended 90 minutes ago and the match is still live.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#alerts .alert-overrun')].some((n) => /past its slot/.test(n.textContent ?? '')),
      undefined,
      WAIT,
    );
    await page.waitForFunction(
      (id) =>
        document.querySelector(`#consoles tr[data-console-id="${id}"] .connection-cell`)?.textContent === 'online',
      desk!.consoleId,
      WAIT,
    );

    await report(desk!, { court: 'W1', matchId: match.id, pending: BACKLOG_ALERT_EVENTS + 2, state: 'catching-up' });
    await page.waitForFunction(
      (n) =>
        [...document.querySelectorAll('#alerts .alert-backlog')].some((a) =>
          a.textContent?.includes(`${n} events waiting`),
        ),
      BACKLOG_ALERT_EVENTS + 2,
      WAIT,
    );
    await page.waitForFunction(
      ([id, n]) => document.querySelector(`#consoles tr[data-console-id="${id}"] .pending`)?.textContent === String(n),
      [desk!.consoleId, BACKLOG_ALERT_EVENTS + 2] as const,
      WAIT,
    );

    const gone = new ScoringConsole(server.url, scorer);
    await gone.connected();
    await report(gone, { court: 'W9', matchId: null, pending: 0, state: 'live' });
    await page.waitForFunction(
      (id) => document.querySelector(`#consoles tr[data-console-id="${id}"]`) !== null,
      gone.consoleId,
      WAIT,
    );
    gone.close();
    await page.waitForFunction(
      (id) =>
        /offline since/.test(
          document.querySelector(`#consoles tr[data-console-id="${id}"] .connection-cell`)?.textContent ?? '',
        ),
      gone.consoleId,
      WAIT,
    );
    await page.waitForFunction(
      (short) => [...document.querySelectorAll('#alerts .alert-offline')].some((a) => a.textContent?.includes(short)),
      gone.consoleId.slice(0, 8),
      WAIT,
    );
  });

  it('creates a match from the form and shows it on its court', async () => {
    await page.selectOption('#create-match select[name=sport]', 'badminton');
    await page.fill('#create-match input[name=court]', 'W2');
    await page.fill('#create-match input[name=home]', 'New <b>Home</b>');
    await page.fill('#create-match input[name=away]', 'New Away');
    await page.fill('#create-match input[name=slotMinutes]', '45');
    await page.click('#create-match button[type=submit]');
    await page.waitForFunction(
      () => /Created/.test(document.getElementById('create-result')?.textContent ?? ''),
      undefined,
      WAIT,
    );
    const created = (await listMatches(server.url, admin)).find((m) => m.court === 'W2');
    expect(created).toMatchObject({ sport: 'badminton', home: { name: 'New <b>Home</b>' }, slotMinutes: 45 });
    await page.waitForSelector('.court-card[data-court="W2"]', WAIT);
    expect(await page.textContent('.court-card[data-court="W2"] .home .team-name')).toBe('New <b>Home</b>');

    // Bad input comes back as the server's message, naming the field.
    await page.fill('#create-match input[name=court]', 'W3');
    await page.fill('#create-match input[name=home]', 'x'.repeat(150));
    await page.fill('#create-match input[name=away]', 'y');
    await page.evaluate(() =>
      document.querySelector('#create-match input[name=court]')!.setAttribute('maxlength', '200'),
    );
    await page.fill('#create-match input[name=court]', 'c'.repeat(100));
    await page.click('#create-match button[type=submit]');
    await page.waitForFunction(
      () => /VALIDATION.*court/.test(document.getElementById('create-result')?.textContent ?? ''),
      undefined,
      WAIT,
    );
  });

  it('hands a match over to a backup console in one action; the old console is fenced', async () => {
    const [primary] = consoles;
    const backup = new ScoringConsole(server.url, scorer);
    consoles.push(backup);
    await backup.connected();
    await report(backup, { court: 'W1', matchId: null, pending: 0, state: 'live' });
    const select = '.court-card[data-court="W1"] select.handover-console';
    await page.waitForFunction(
      ([sel, id]) => [...(document.querySelector(sel) as HTMLSelectElement).options].some((o) => o.value === id),
      [select, backup.consoleId] as const,
      WAIT,
    );
    await page.selectOption(select, backup.consoleId);
    await page.click('.court-card[data-court="W1"] .handover-button');
    await page.waitForFunction(
      () => /moved/.test(document.querySelector('.court-card[data-court="W1"] .handover-result')?.textContent ?? ''),
      undefined,
      WAIT,
    );

    const refused = await primary!.push(match.id, [{ type: 'SCORE_UPDATE', payload: { side: 'home' } }]);
    expect(refused).toMatchObject({ ok: false, code: 'STALE_EPOCH' });

    const now = await getMatch(server.url, admin, match.id);
    expect(now.epoch).toBeGreaterThan(0);
    backup.adopt(match.id, now.seq, now.epoch);
    await backup.point(match.id, 'away', 2);
    await page.waitForFunction(
      ([sel, n]) => document.querySelector(sel)?.textContent === String(n),
      [cardScore('W1', 'away'), now.away.score + 2] as const,
      WAIT,
    );
  });

  it('keeps the session in sessionStorage across a reload', async () => {
    await page.reload();
    await page.waitForSelector('#wall-page:not([hidden])', WAIT);
    expect(await page.isHidden('#login')).toBe(true);
    await page.waitForSelector('.court-card[data-court="W1"]', WAIT);
    expect(pageErrors).toEqual([]);
  });
});

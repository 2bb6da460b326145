/**
 * Overlay pages end to end: a real server (child process, real PostgreSQL), a console
 * pushing events over /console, and the scorebug and courts strip in headless Chromium
 * showing them live, as text, under a self-only CSP.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { call, createMatch, getMatch } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { buildScene, QUOTED, XSS_AWAY, XSS_HOME, type BroadcastScene } from '../support/broadcast/fixture.js';
import { ScoringConsole } from '../support/broadcast/scoring-console.js';

const WAIT = { timeout: 15_000, interval: 100 };

let scene: BroadcastScene;
let server: BroadcastScene['server'];
let admin: string;
let viewer: string;
let scorer: string;
let desk: ScoringConsole;
let volley: MatchSnapshot;
let basket: MatchSnapshot;
let browser: Browser;

beforeAll(async () => {
  scene = await buildScene('overlay_pages');
  ({ server, admin, viewer, scorer, desk, volley, basket } = scene);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await scene?.close();
});

describe('overlay pages', () => {
  it('scorebug: served under a self-only CSP, shows the live score, names as text', async () => {
    const { page, errors } = await watchedPage(browser);
    const response = await page.goto(
      `${server.url}/overlays/scorebug?court=A1&token=${viewer}&theme=light&accent=e91e63`,
    );
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response?.headers()['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    const current = await getMatch(server.url, viewer, volley.id);
    await page.waitForFunction(
      (score) => document.getElementById('home-score')?.textContent === String(score),
      current.home.score,
      WAIT,
    );
    expect(await page.textContent('#home-name')).toBe(XSS_HOME);
    expect(await page.textContent('#away-name')).toBe(XSS_AWAY);
    expect(await page.locator('#scorebug img, #scorebug script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    expect(await page.getAttribute('body', 'data-theme')).toBe('light');
    expect(await page.$eval('#scorebug', (el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(233, 30, 99)');

    await desk.point(volley.id, 'home');
    await page.waitForFunction(
      (score) => document.getElementById('home-score')?.textContent === String(score),
      current.home.score + 1,
      WAIT,
    );

    // CasparCG: update() switches court and look, stop()/play() hide and show.
    await page.evaluate(() =>
      (window as unknown as { update: (d: string) => void }).update('{"court":"B2","theme":"dark"}'),
    );
    await page.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Lions', undefined, WAIT);
    expect(await page.getAttribute('body', 'data-theme')).toBe('dark');
    await page.evaluate(() => (window as unknown as { stop: () => void }).stop());
    expect(await page.getAttribute('#scorebug', 'class')).toMatch(/hidden/);
    await page.evaluate(() => (window as unknown as { play: () => void }).play());
    expect(await page.getAttribute('#scorebug', 'class')).not.toMatch(/hidden/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('courts strip: every court with its current match, names as text', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${server.url}/overlays/courts?token=${viewer}&position=top`);
    await page.waitForFunction(() => document.querySelectorAll('.court-card').length === 2, undefined, WAIT);
    const cards = await page.$$eval('.court-card', (nodes) =>
      nodes.map((n) => ({
        court: (n as HTMLElement).dataset.court,
        names: [...n.querySelectorAll('.team-name')].map((t) => t.textContent),
      })),
    );
    expect(cards).toEqual([
      { court: 'A1', names: [XSS_HOME, XSS_AWAY] },
      { court: 'B2', names: ['Lions', QUOTED] },
    ]);
    expect(await page.locator('#courts img, #courts script').count()).toBe(0);
    const basketNow = await getMatch(server.url, viewer, basket.id);
    await desk.point(basket.id, 'home');
    await page.waitForFunction(
      (score) => document.querySelector('.court-card[data-court="B2"] .home .score')?.textContent === String(score),
      basketNow.home.score + 1,
      WAIT,
    );
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('retries its HTTP snapshot by itself while the API is unreachable', async () => {
    const { page } = await watchedPage(browser);
    let refused = 0;
    await page.route('**/api/courts/**', (route) => {
      if (refused < 2) {
        refused += 1;
        return route.abort('connectionrefused');
      }
      return route.continue();
    });
    const answered = page.waitForResponse((r) => r.url().includes('/api/courts/B2') && r.status() === 200, {
      timeout: 30_000,
    });
    await page.goto(`${server.url}/overlays/scorebug?court=B2&token=${viewer}`);
    await answered;
    expect(refused).toBe(2);
    await page.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Lions', undefined, WAIT);
    await page.close();
  });

  it('delay: a delayed overlay shows a point only after the live one', async () => {
    const live = (await watchedPage(browser)).page;
    const delayed = (await watchedPage(browser)).page;
    await live.goto(`${server.url}/overlays/scorebug?court=B2&token=${viewer}`);
    await delayed.goto(`${server.url}/overlays/scorebug?court=B2&token=${viewer}&delay=3`);
    const now = await getMatch(server.url, viewer, basket.id);
    for (const page of [live, delayed]) {
      await page.waitForFunction(
        (s) => document.getElementById('away-score')?.textContent === String(s),
        now.away.score,
        WAIT,
      );
    }
    await desk.point(basket.id, 'away');
    await live.waitForFunction(
      (s) => document.getElementById('away-score')?.textContent === String(s),
      now.away.score + 1,
      WAIT,
    );
    expect(await delayed.textContent('#away-score')).toBe(String(now.away.score));
    await delayed.waitForFunction(
      (s) => document.getElementById('away-score')?.textContent === String(s),
      now.away.score + 1,
      WAIT,
    );
    await live.close();
    await delayed.close();
  });

  it('marks data stale (or hides it) when the console feeding the match goes away, and recovers', async () => {
    const match = await createMatch(server.url, admin, { sport: 'generic', court: 'S3', home: 'Solo', away: 'Duo' });
    const consoleId = '3b0f3e2a-5c1d-4e8f-9a7b-0c1d2e3f4a5b';
    const report = (c: ScoringConsole) =>
      new Promise((resolve) =>
        c.socket.emit(
          'presence:report',
          { court: 'S3', matchId: match.id, pending: 0, lastConfirmedAt: null, state: 'live' },
          resolve,
        ),
      );
    const first = new ScoringConsole(server.url, scorer, consoleId);
    await first.connected();
    await report(first);
    await first.start(match.id);
    await first.point(match.id, 'home');

    const marked = (await watchedPage(browser)).page;
    const hidden = (await watchedPage(browser)).page;
    await marked.goto(`${server.url}/overlays/scorebug?court=S3&token=${viewer}`);
    await hidden.goto(`${server.url}/overlays/scorebug?court=S3&token=${viewer}&hideStale=1`);
    for (const page of [marked, hidden]) {
      await page.waitForFunction(() => document.getElementById('home-score')?.textContent === '1', undefined, WAIT);
      expect(await page.getAttribute('#scorebug', 'class')).not.toMatch(/stale/);
    }

    first.close();
    await marked.waitForFunction(
      () => document.getElementById('scorebug')!.classList.contains('stale'),
      undefined,
      WAIT,
    );
    await hidden.waitForFunction(
      () => document.getElementById('scorebug')!.classList.contains('stale-hidden'),
      undefined,
      WAIT,
    );
    expect(await marked.getAttribute('#scorebug', 'class')).not.toMatch(/stale-hidden/);
    expect(await marked.textContent('#home-score')).toBe('1');
    const rows = await call<Record<string, unknown>[]>(server.url, 'GET', `/api/feeds/vmix?court=S3&token=${viewer}`);
    expect(rows).toEqual([expect.objectContaining({ matchId: match.id, consoleOnline: false, stale: true })]);

    const again = new ScoringConsole(server.url, scorer, consoleId);
    await again.connected();
    await report(again);
    again.adopt(match.id, (await getMatch(server.url, viewer, match.id)).seq, 0);
    await again.point(match.id, 'home');
    await marked.waitForFunction(
      () =>
        document.getElementById('home-score')?.textContent === '2' &&
        !document.getElementById('scorebug')!.classList.contains('stale'),
      undefined,
      WAIT,
    );
    await hidden.waitForFunction(
      () => !document.getElementById('scorebug')!.classList.contains('stale-hidden'),
      undefined,
      WAIT,
    );
    again.close();
    await marked.close();
    await hidden.close();
  });
});

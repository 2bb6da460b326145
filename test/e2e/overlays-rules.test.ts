/**
 * The officials' calls of contract v1.1 on the overlays, in headless Chromium against a
 * real server and PostgreSQL: the scorebug shows the interval counting down, the doubles
 * server (and court) and receiver, then "change ends"; the courts strip shows the interval.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { call } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { buildScene, type BroadcastScene } from '../support/broadcast/fixture.js';

const WAIT = { timeout: 15_000, interval: 100 };
const COURT = 'R9';

let scene: BroadcastScene;
let browser: Browser;
let match: MatchSnapshot;

beforeAll(async () => {
  scene = await buildScene('overlay_rules');
  browser = await launchBrowser();
  match = await call<MatchSnapshot>(scene.server.url, 'POST', '/api/matches', scene.admin, {
    sport: 'badminton',
    court: COURT,
    home: { name: 'Denmark', players: ['Astrup', 'Rasmussen'] },
    away: { name: 'Japan', players: ['Hoki', 'Kobayashi'] },
    options: { doubles: true },
  });
  await scene.desk.start(match.id);
});

afterAll(async () => {
  await browser?.close();
  await scene?.close();
});

/** Waits until the call of that kind (in `scope`) passes `test` on its text (CSP: no string eval). */
async function waitCall(
  page: import('playwright-core').Page,
  kind: string,
  pattern: RegExp,
  scope = '',
): Promise<string> {
  await page.waitForFunction(
    ([k, source, s]) =>
      new RegExp(source).test(document.querySelector(`${s} [data-call="${k}"]`)?.textContent ?? '\u0000'),
    [kind, pattern.source, scope] as const,
    WAIT,
  );
  return page.evaluate(([k, s]) => document.querySelector(`${s} [data-call="${k}"]`)?.textContent ?? '', [
    kind,
    scope,
  ] as const);
}

describe('overlays: officials calls', () => {
  it('scorebug and courts strip show the interval, the server and receiver, and change ends', async () => {
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${scene.server.url}/overlays/scorebug?court=${COURT}&token=${scene.viewer}`);
    await page.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Denmark', undefined, WAIT);
    await waitCall(page, 'serve', /^Astrup serves from the right court to Hoki$/);

    await scene.desk.pushOk(
      match.id,
      Array.from({ length: 11 }, () => ({ type: 'SCORE_UPDATE' as const, payload: { side: 'home' } })),
    );
    const first = await waitCall(page, 'interval', /^Interval (0:[0-5]\d|1:00)$/);
    expect(await waitCall(page, 'serve', /./)).toBe('Astrup serves from the left court to Kobayashi');
    // It counts down on its own, between events.
    await page.waitForFunction(
      (before) => document.querySelector('[data-call="interval"]')?.textContent !== before,
      first,
      WAIT,
    );

    const strip = await watchedPage(browser);
    await strip.page.goto(`${scene.server.url}/overlays/courts?token=${scene.viewer}`);
    await waitCall(strip.page, 'interval', /^Interval/, `.court-card[data-court="${COURT}"]`);

    await scene.desk.pushOk(
      match.id,
      Array.from({ length: 10 }, () => ({ type: 'SCORE_UPDATE' as const, payload: { side: 'home' } })),
    );
    await waitCall(page, 'change-ends', /^Change ends$/);
    await waitCall(page, 'interval', /^Interval between games \d:\d\d$/);
    expect(errors).toEqual([]);
    expect(strip.errors).toEqual([]);
    await strip.page.close();
    await page.close();
  });
});

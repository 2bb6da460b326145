/**
 * The court wall's "Graphics links" panel in headless Chromium against the real server
 * (in-process, fresh PostgreSQL): an admin mints a viewer token, the panel lists the URLs,
 * and the scorebug URL it gives works as is in another page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../../test/support/server.js';
import { launchBrowser, watchedPage } from '../../test/support/browser.js';

const WAIT = { timeout: 15_000, interval: 100 };

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  ({ page, errors } = await watchedPage(browser));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('mints a viewer token from the court wall and lists working overlay URLs', async () => {
  await server.createMatch({ court: 'Main', home: { name: 'Herons' }, away: { name: 'Cranes' } });
  await page.goto(`${server.url}/director`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', TEST_ADMIN_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#wall-page:not([hidden])', WAIT);

  // A refused label shows the server's message naming the field, and no links.
  await page.fill('#graphics-form input[name=label]', '<img src=x onerror=alert(1)>');
  await page.click('#graphics-form button[type=submit]');
  await page.waitForFunction(
    () => /VALIDATION: label/.test(document.getElementById('graphics-result')?.textContent ?? ''),
    undefined,
    WAIT,
  );
  expect(await page.locator('#graphics-links input').count()).toBe(0);

  await page.fill('#graphics-form input[name=label]', 'OBS booth');
  await page.fill('#graphics-form input[name=court]', 'Main');
  await page.fill('#graphics-form input[name=ttlHours]', '48');
  await page.click('#graphics-form button[type=submit]');
  await page.waitForSelector('#graphics-links input[data-link=scorebug]', WAIT);
  const links = Object.fromEntries(
    await page.$$eval('#graphics-links input', (inputs) =>
      (inputs as HTMLInputElement[]).map((i) => [i.dataset.link, i.value]),
    ),
  ) as Record<string, string>;
  expect(Object.keys(links).sort()).toEqual(['courts', 'scorebug', 'stream', 'vmix', 'vmixCsv', 'vmixXml']);
  expect(await page.textContent('#graphics-result')).toMatch(/OBS booth/);

  const token = new URL(links.scorebug!).searchParams.get('token')!;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  expect(claims).toMatchObject({ sub: 'viewer:OBS booth', role: 'viewer' });
  expect(claims.exp - claims.iat).toBe(48 * 3600);

  const overlay = await browser.newPage();
  await overlay.goto(links.scorebug!);
  await overlay.waitForFunction(() => document.getElementById('home-name')?.textContent === 'Herons', undefined, WAIT);
  const feed = await fetch(links.vmix!);
  expect(feed.status).toBe(200);
  await overlay.close();
  expect(errors).toEqual([]);
});

/**
 * The court wall's "Connected tokens" panel in headless Chromium against the real server
 * (in-process, fresh PostgreSQL), issue 12: two graphics links, one leaked and connected
 * many times; the wall shows which token holds how many sockets, and its Revoke button
 * ends the leaked one's sockets while the other overlay stays connected.
 */
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectSocket, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from '../../test/support/server.js';
import { launchBrowser, watchedPage } from '../../test/support/browser.js';

const WAIT = { timeout: 15_000, polling: 100 };
const LEAKED_SOCKETS = 6;

let server: TestServer;
let browser: Browser;
let page: Page;
let errors: string[];
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  ({ page, errors } = await watchedPage(browser));
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await browser?.close();
  await server?.stop();
});

async function mint(label: string): Promise<{ token: string; tokenId: string }> {
  const res = await server.http('POST', '/api/viewer-tokens', { label }, server.adminToken);
  expect(res.status).toBe(201);
  return res.body as { token: string; tokenId: string };
}

it('shows connections per token and revokes a leaked graphics link', async () => {
  const leaked = await mint('Truck A');
  const other = await mint('Truck A');
  const attack = await Promise.all(
    Array.from({ length: LEAKED_SOCKETS }, () => connectSocket(server.url, '/live', leaked.token)),
  );
  sockets.push(...attack);
  const overlay = await connectSocket(server.url, '/live', other.token);
  sockets.push(overlay);

  await page.goto(`${server.url}/director`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', TEST_ADMIN_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#wall-page:not([hidden])', WAIT);

  const sockets_ = (id: string) => `#tokens tr[data-token-id="${id}"] .token-sockets`;
  await page.waitForSelector(sockets_(leaked.tokenId), WAIT);
  expect(await page.textContent(sockets_(leaked.tokenId))).toBe(String(LEAKED_SOCKETS));
  expect(await page.textContent(sockets_(other.tokenId))).toBe('1');
  expect(await page.textContent(`#tokens tr[data-token-id="${leaked.tokenId}"]`)).toContain('viewer:Truck A');

  const gone = Promise.all(attack.map((s) => new Promise((resolve) => s.once('disconnect', resolve))));
  await page.click(`#tokens tr[data-token-id="${leaked.tokenId}"] button`);
  await gone;
  await page.waitForFunction(
    (id) => !document.querySelector(`#tokens tr[data-token-id="${id}"]`),
    leaked.tokenId,
    WAIT,
  );
  expect(await page.textContent('#tokens-result')).toMatch(/Revoked viewer:Truck A/);
  expect(overlay.connected).toBe(true);
  expect(await page.textContent(sockets_(other.tokenId))).toBe('1');
  await expect(connectSocket(server.url, '/live', leaked.token)).rejects.toThrow('UNAUTHORIZED');
  expect(errors).toEqual([]);
});

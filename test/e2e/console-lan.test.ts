/**
 * The web console host in LAN mode, in Chromium: a tablet on the venue network is asked for the
 * PIN before it gets anything of the console, and the link with ?pin= works once and leaves the
 * address bar. No central server needed: the console core runs offline here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../../desktop/core/index.js';
import { startConsoleHost, type ConsoleHost } from '../../desktop/web-host/host.js';
import { ensureRendererBuild } from '../../desktop/web-host/renderer-build.js';
import { launchBrowser } from '../support/browser.js';
import { screenshot } from './console-harness.js';

const PIN = 'court-c1-4711';
/** A port that refuses at once: the console stays offline. */
const NO_SERVER = 'http://127.0.0.1:9';

let dir: string;
let core: ConsoleCore;
let lan: ConsoleHost;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-console-lan-'));
  const renderer = await ensureRendererBuild({ outDir: path.join(dir, 'renderer'), force: true });
  core = await createConsoleCore({
    dataDir: path.join(dir, 'console'),
    serverUrl: NO_SERVER,
    logger: pino({ level: 'silent' }),
  });
  lan = await startConsoleHost({
    core,
    rendererDir: renderer.dir,
    host: '0.0.0.0',
    port: 0,
    pin: PIN,
    log: pino({ level: 'silent' }),
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await lan?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web console host in LAN mode (Chromium)', () => {
  it('asks for the PIN, refuses a wrong one, then shows the console', async () => {
    const tablet = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await tablet.goto(lan.url);
      await tablet.waitForSelector('[data-testid="pin-gate"]');
      await tablet.fill('[data-testid="pin-gate"] input', 'wrong-pin');
      await tablet.keyboard.press('Enter');
      // The wrong PIN is answered with the gate again, never with the console.
      await tablet.waitForFunction(() => document.querySelector('[data-testid="pin-gate"] input') !== null);
      expect(await tablet.locator('[data-testid="sync-state"]').count()).toBe(0);
      await screenshot(tablet, '14-lan-pin');
      await tablet.fill('[data-testid="pin-gate"] input', PIN);
      await tablet.keyboard.press('Enter');
      await tablet.waitForSelector('[data-testid="sync-state"]');
      expect(await tablet.locator('[data-testid="pin-gate"]').count()).toBe(0);
    } finally {
      await tablet.close();
    }
  });

  it('takes the PIN from the link once and drops it from the address bar', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${lan.url}?pin=${PIN}#/scoreboard`);
      await page.waitForSelector('[data-testid="spectator"]');
      expect(page.url()).not.toContain(PIN);
      expect(page.url()).toContain('#/scoreboard');
    } finally {
      await page.close();
    }
  });
});

/**
 * Shared set-up of the console end-to-end tests: a real server child process on real
 * PostgreSQL, the web console host in this process with a real console core (SQLite in a
 * temporary folder), and headless Chromium driving the operator's screen.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { createConsoleCore } from '../../desktop/core/index.js';
import { startConsoleHost, type ConsoleHost } from '../../desktop/web-host/host.js';
import { ensureRendererBuild } from '../../desktop/web-host/renderer-build.js';
import pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import { createTestDatabase } from '../support/postgres.js';
import { launchBrowser } from '../support/browser.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { call } from '../support/api-client.js';

/** The HTTP API (test/support/api-client.ts). */
export const api = call;

export const SCREENSHOT_DIR = path.resolve('artifacts/screenshots');
/** Waits for the screen to show a state: long enough for a server restart and a backlog drain. */
export const UI_TIMEOUT_MS = 30_000;

type Core = Awaited<ReturnType<typeof createConsoleCore>>;

export interface ConsoleRig {
  db: { url: string; drop: () => Promise<void> };
  server: RestartableServer;
  admin: string;
  core: Core;
  host: ConsoleHost;
  browser: Browser;
  page: Page;
  dir: string;
  rendererDir: string;
  close(): Promise<void>;
}

export async function createScheduledMatch(
  rig: Pick<ConsoleRig, 'server' | 'admin'>,
  body: object,
): Promise<MatchSnapshot> {
  return api<MatchSnapshot>(rig.server.url, 'POST', '/api/matches', rig.admin, body);
}

export async function startConsoleRig(prefix: string): Promise<ConsoleRig> {
  const dir = mkdtempSync(path.join(tmpdir(), `scoredesk-${prefix}-`));
  const db = await createTestDatabase(prefix);
  const server = await RestartableServer.start({ databaseUrl: db.url });
  const admin = (
    await api<{ token: string }>(server.url, 'POST', '/api/auth/login', undefined, {
      username: 'admin',
      password: CHILD_ADMIN_PASSWORD,
    })
  ).token;
  // A fresh build per test file: the screen under test is the current source, and parallel
  // files never write the same output folder.
  const renderer = await ensureRendererBuild({ outDir: path.join(dir, 'renderer'), force: true });
  const core = await createConsoleCore({ dataDir: path.join(dir, 'console'), serverUrl: server.url });
  const host = await startConsoleHost({
    core,
    rendererDir: renderer.dir,
    host: '127.0.0.1',
    port: 0,
    pin: null,
    log: pino({ level: 'silent' }),
  });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    db,
    server,
    admin,
    core,
    host,
    browser,
    page,
    dir,
    rendererDir: renderer.dir,
    async close() {
      await browser.close().catch(() => undefined);
      await host.close().catch(() => undefined);
      await core.close().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await db.drop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Wait until the element with this test id has exactly this text. */
export async function waitText(page: Page, testId: string, text: string, timeout = UI_TIMEOUT_MS): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want,
      [testId, text] as const,
      { timeout },
    );
  } catch (error) {
    const actual = await page
      .locator(`[data-testid="${testId}"]`)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null);
    throw new Error(
      `[data-testid="${testId}"] never showed ${JSON.stringify(text)} (last: ${JSON.stringify(actual)})`,
      {
        cause: error,
      },
    );
  }
}

export async function waitSyncState(page: Page, states: string[], timeout = UI_TIMEOUT_MS): Promise<string> {
  await page.waitForFunction(
    (want) => want.includes(document.querySelector('[data-testid="sync-state"]')?.getAttribute('data-state') ?? ''),
    states,
    { timeout },
  );
  return (await page.getAttribute('[data-testid="sync-state"]', 'data-state')) ?? '';
}

/**
 * Signs the console in from its Settings (server, user, court), waits for the live link and
 * shows the schedule (the Matches button is absent when the picker already shows).
 */
export async function signInToCourt(
  rig: ConsoleRig,
  user: { username: string; password: string },
  court: string,
): Promise<void> {
  const { page } = rig;
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.fill('input[name="serverUrl"]', rig.server.url);
  await page.fill('input[name="username"]', user.username);
  await page.fill('input[name="password"]', user.password);
  await page.fill('.settings input[name="court"]', court);
  await page.getByRole('button', { name: 'Save' }).click();
  await waitSyncState(page, ['live']);
  await page
    .getByRole('button', { name: 'Matches' })
    .click()
    .catch(() => undefined);
}

export async function textOf(page: Page, testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"]`).first().textContent()) ?? '';
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Press a key n times, waiting for each to be handled (a held key does not repeat). */
export async function pressTimes(page: Page, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Rows of a query on the test's PostgreSQL database. */
export async function queryDb<T extends pg.QueryResultRow>(
  rig: Pick<ConsoleRig, 'db'>,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: rig.db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Strip what only the server knows (the global cursor) before comparing states. */
export function comparable(snapshot: MatchSnapshot): Omit<MatchSnapshot, 'cursor'> {
  const { cursor: _cursor, ...rest } = snapshot;
  return rest;
}

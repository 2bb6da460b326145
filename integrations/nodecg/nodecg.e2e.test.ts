/**
 * The NodeCG bundle in the real NodeCG (npm `nodecg` 2.6.4, on loopback) against the real
 * Scoredesk server (a child process on a real PostgreSQL). A console pushes points; the
 * court's replicant, read through a test-only bundle (testing/probe-bundle) that serves
 * the replicants and every value they took, shows them. Then the Scoredesk server goes
 * away, points are scored on another server process while the extension cannot see them,
 * and Scoredesk comes back: the replicant catches up by cursor, nothing missed, nothing
 * twice, in every value it took. The same after NodeCG itself restarts (its replicants
 * persist, so the extension resumes from their cursors). The sample graphic shows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../shared/events.js';
import { call, createMatch, login } from '../../test/support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../../test/support/browser.js';
import { ScoringConsole } from '../../test/support/broadcast/scoring-console.js';
import { freeLoopbackPort } from '../../test/support/ports.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../../test/support/server-process.js';
import { buildBundle } from './build.js';
import type { CourtView } from './src/court-feed.js';
import type { LinkStatus } from './src/live-link.js';
import {
  NODECG_INSTALL_TIMEOUT_MS,
  ensureNodecgInstall,
  startNodecg,
  type NodecgProcess,
} from './testing/nodecg-host.js';

const COURT = 'N1';
const OTHER_COURT = 'N2';
const JWT_SECRET = 'nodecg-test-secret-0123456789';
/** Reconnects back off up to 10 s (live-link.ts); generous above that on two busy cores. */
const WAIT = { timeout: 45_000, interval: 100 };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let scoredesk: ServerProcess | null = null;
let scoredeskPort: number;
let nodecg: NodecgProcess | null = null;
let nodecgRoot: string | undefined;
let nodecgPort: number;
let bundleDir: string;
let admin: string;
let viewerToken: string;
let matchId: string;
let scorer: string;
let desk: ScoringConsole | null = null;
let browser: Browser | null = null;
const consoleId = '8d0c6f8e-6a52-4b8e-9d7e-4c1f5d2a9b10';

async function startScoredesk(port: number): Promise<ServerProcess> {
  return spawnServer({ databaseUrl: db.url, port, jwtSecret: JWT_SECRET });
}

async function startNodecgWithBundle(): Promise<NodecgProcess> {
  const started = await startNodecg({
    port: nodecgPort,
    root: nodecgRoot,
    bundles: { scoredesk: bundleDir, 'scoredesk-probe': path.join(import.meta.dirname, 'testing/probe-bundle') },
    configs: {
      scoredesk: { url: `http://127.0.0.1:${scoredeskPort}`, token: viewerToken, courts: [COURT, OTHER_COURT] },
      'scoredesk-probe': { replicants: [`court:${COURT}`, `court:${OTHER_COURT}`, 'status'] },
    },
  });
  nodecgRoot = started.root;
  return started;
}

interface Probe<T> {
  value: T;
  history: T[];
}

function readReplicant<T>(name: string): Promise<Probe<T>> {
  return call<Probe<T>>(nodecg!.url, 'GET', `/scoredesk-probe/replicants/${encodeURIComponent(name)}`);
}

const court = () => readReplicant<CourtView>(`court:${COURT}`);

/** Every value the replicant took: events once each, in cursor order, seqs without a hole; scores never back. */
function expectNeverTwice(history: CourtView[]): void {
  let lastHome = 0;
  for (const view of history) {
    if (!view.match || view.match.id !== matchId) continue;
    const cursors = view.events.map((e) => e.cursor);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(cursors.length);
    const seqs = view.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    expect(view.match.home.score).toBeGreaterThanOrEqual(lastHome);
    lastHome = view.match.home.score;
  }
}

const seqsOf = (events: StoredEvent[]) => events.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  // First run only: the real NodeCG is installed into node_modules/.cache (bounded).
  await ensureNodecgInstall();
  db = await createTestDatabase('nodecg');
  scoredeskPort = await freeLoopbackPort();
  nodecgPort = await freeLoopbackPort();
  scoredesk = await startScoredesk(scoredeskPort);
  admin = await login(scoredesk.url, 'admin', CHILD_ADMIN_PASSWORD);
  viewerToken = (await call<{ token: string }>(scoredesk.url, 'POST', '/api/viewer-tokens', admin, { label: 'nodecg' }))
    .token;
  await call(scoredesk.url, 'POST', '/api/users', admin, {
    username: 'desk',
    password: 'desk-password-1',
    role: 'scorer',
  });
  scorer = await login(scoredesk.url, 'desk', 'desk-password-1');
  matchId = (await createMatch(scoredesk.url, admin, { sport: 'generic', court: COURT, home: 'Reds', away: 'Blues' }))
    .id;
  bundleDir = path.join(mkdtempSync(path.join(tmpdir(), 'scoredesk-bundle-')), 'scoredesk');
  await buildBundle(bundleDir);
  nodecg = await startNodecgWithBundle();
}, NODECG_INSTALL_TIMEOUT_MS + 120_000);

afterAll(async () => {
  desk?.close();
  await browser?.close();
  await nodecg?.stop();
  nodecg?.remove();
  await scoredesk?.stop();
  await db?.drop();
  if (bundleDir) rmSync(path.dirname(bundleDir), { recursive: true, force: true });
});

describe('the scoredesk bundle in NodeCG', () => {
  it('points pushed to Scoredesk appear in the court replicant, with freshness', async () => {
    desk = new ScoringConsole(scoredesk!.url, scorer, consoleId);
    await desk.start(matchId);
    await desk.point(matchId, 'home', 3);
    const cursor = await desk.point(matchId, 'away', 1);

    await vi.waitFor(async () => {
      const { value } = await court();
      expect(value).toMatchObject({ court: COURT, link: 'live', stale: false, cursor });
      expect(value.match).toMatchObject({ id: matchId, status: 'live', home: { score: 3 }, away: { score: 1 } });
      expect(value.freshness?.consoleOnline).toBe(true);
      expect(seqsOf(value.events)).toEqual(range(1, 5));
    }, WAIT);
    const other = await readReplicant<CourtView>(`court:${OTHER_COURT}`);
    expect(other.value).toMatchObject({ court: OTHER_COURT, link: 'live', match: null });
  });

  it('after the Scoredesk server restarts, the replicant catches up by cursor: nothing missed, nothing twice', async () => {
    desk!.close();
    await scoredesk!.stop();
    scoredesk = null;
    await vi.waitFor(async () => expect((await court()).value.link).toBe('offline'), WAIT);
    expect((await court()).value.stale).toBe(true);

    // Scored on another process (same database) while the extension cannot reach Scoredesk.
    const elsewhere = await startScoredesk(await freeLoopbackPort());
    const away = new ScoringConsole(elsewhere.url, scorer, consoleId);
    away.adopt(matchId, 5, 0);
    await away.point(matchId, 'home', 3);
    away.close();
    await elsewhere.stop();
    expect(seqsOf((await court()).value.events)).toEqual(range(1, 5));

    scoredesk = await startScoredesk(scoredeskPort);
    desk = new ScoringConsole(scoredesk.url, scorer, consoleId);
    desk.adopt(matchId, 8, 0);
    const cursor = await desk.point(matchId, 'away', 2);

    await vi.waitFor(async () => {
      const { value } = await court();
      expect(value).toMatchObject({ link: 'live', stale: false, cursor });
      expect(value.match).toMatchObject({ id: matchId, home: { score: 6 }, away: { score: 3 } });
      expect(seqsOf(value.events)).toEqual(range(1, 10));
    }, WAIT);
    const { history } = await court();
    expect(history.some((v) => v.link === 'offline')).toBe(true);
    expectNeverTwice(history);
    const status = await readReplicant<LinkStatus>('status');
    expect(status.value).toMatchObject({ link: 'live', invalid: 0 });
    expect(status.value.connects).toBeGreaterThanOrEqual(2);
  });

  it('after NodeCG restarts, the extension resumes from the persisted replicant: nothing missed, nothing twice', async () => {
    await nodecg!.stop();
    await desk!.point(matchId, 'home', 2); // while NodeCG is down
    nodecg = await startNodecgWithBundle();
    const cursor = await desk!.point(matchId, 'away', 1);

    await vi.waitFor(async () => {
      const { value } = await court();
      expect(value).toMatchObject({ link: 'live', cursor });
      expect(value.match).toMatchObject({ home: { score: 8 }, away: { score: 4 } });
      expect(seqsOf(value.events)).toEqual(range(1, 13));
    }, WAIT);
    expectNeverTwice((await court()).history);
  });

  it('the sample graphic shows the court from its replicant, and marks it stale when the console drops', async () => {
    browser = await launchBrowser();
    const { page, errors } = await watchedPage(browser);
    await page.goto(`${nodecg!.url}/bundles/scoredesk/graphics/scorebug.html?court=${COURT}`);
    const section = `section[data-court="${COURT}"]`;
    await page.waitForFunction(
      (s) => document.querySelector(`${s} [data-side="home"] .score`)?.textContent === '8',
      section,
      { timeout: 30_000 },
    );
    expect(await page.textContent(`${section} [data-side="away"] .score`)).toBe('4');
    expect(await page.textContent(`${section} [data-side="home"] .name`)).toBe('Reds');
    expect(await page.getAttribute(section, 'class')).not.toMatch(/stale/);

    desk!.close(); // the writer console drops: freshness says so, the graphic fades the row
    await page.waitForFunction((s) => document.querySelector(s)?.classList.contains('stale'), section, {
      timeout: 30_000,
    });
    expect((await court()).value.freshness?.consoleOnline).toBe(false);
    expect(errors).toEqual([]);
  });
});

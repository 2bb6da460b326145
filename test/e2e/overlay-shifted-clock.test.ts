/**
 * One time base in a real broadcast browser (issue 16): the scorebug overlay in Chromium on
 * a clock 3 s behind (Playwright's clock emulation; time still flows) measures its offset
 * with time:sync and shows the running basketball clock in server time, not 3 s off.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { createMatch, getMatch, login } from '../support/broadcast/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { ScoringConsole } from '../support/broadcast/scoring-console.js';
import { CHILD_ADMIN_PASSWORD, RestartableServer } from '../support/server-process.js';
import { createTestDatabase } from '../support/postgres.js';

const WAIT = { timeout: 15_000, polling: 100 };
const PAGE_SHIFT_MS = -3_000;
/** The bound for two displays of one clock. */
const AGREEMENT_MS = 100;
/** How long the clock has run when the overlay reads it: well past the page's shift. */
const RAN_MS = 20_000;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let server: RestartableServer;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let admin: string;
let match: MatchSnapshot;
let desk: ScoringConsole;

beforeAll(async () => {
  db = await createTestDatabase('overlayclock');
  server = await RestartableServer.start({ databaseUrl: db.url });
  admin = await login(server.url, 'admin', CHILD_ADMIN_PASSWORD);
  match = await createMatch(server.url, admin, { sport: 'basketball', court: 'OC1', home: 'Bulls', away: 'Bears' });
  desk = new ScoringConsole(server.url, admin);
  await desk.connected();
  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await watchedPage(browser));
});

afterAll(async () => {
  desk?.close();
  await browser?.close();
  await server?.stop();
  await db?.drop();
});

describe('scorebug on a machine 3 s behind', () => {
  it('measures its offset and shows the running clock in server time', async () => {
    const res = await fetch(`${server.url}/api/viewer-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'clock test', court: 'OC1' }),
    });
    const { overlayUrls } = (await res.json()) as { overlayUrls: { scorebug: string } };
    await page.clock.install({ time: Date.now() + PAGE_SHIFT_MS });
    await page.goto(overlayUrls.scorebug);

    // The console knows its offset (0 here): the clock is anchored in server time, 20 s ago
    // (a clock that ran less than the page's 3 s would hide the shift: elapsed time is clamped at 0).
    await desk.start(match.id);
    await desk.pushOk(match.id, [
      { type: 'CLOCK_START', payload: { remainingMs: 600_000, anchorAt: new Date(Date.now() - RAN_MS).toISOString() } },
    ]);
    const stored = await getMatch(server.url, admin, match.id);
    expect(stored.clock.running).toBe(true);

    await page.waitForFunction(
      () => {
        const feed = (window as any).__overlay?.feed;
        return typeof feed?.clockOffsetMs === 'number' && feed.matches().some((m: any) => m.snapshot.clock?.running);
      },
      undefined,
      WAIT,
    );
    const { offset, rtt } = await page.evaluate(() => {
      const feed = (window as any).__overlay.feed;
      return { offset: feed.clockOffsetMs as number, rtt: feed.clockRttMs as number };
    });
    // The page's real shift: install() takes effect a moment after the time it was given was read
    // here, so it is measured, between two readings of this process's clock (the server's).
    const before = Date.now();
    const pageNow = await page.evaluate(() => Date.now());
    const after = Date.now();
    const shift = { low: pageNow - after, high: pageNow - before };
    expect(shift.high).toBeLessThan(PAGE_SHIFT_MS + 1_000);
    // An NTP-style exchange is right to within half its round trip: the 100 ms on an idle
    // machine, more when a busy test machine stretched the best round trip the page saw.
    const tolerance = Math.max(AGREEMENT_MS, rtt / 2 + 1);
    expect(offset).toBeGreaterThanOrEqual(shift.low - tolerance);
    expect(offset).toBeLessThanOrEqual(shift.high + tolerance);

    const anchor = Date.parse(stored.clock.anchorAt!);
    for (let round = 0; round < 3; round++) {
      const before = Date.now();
      const shown = await page.evaluate(() => {
        const feed = (window as any).__overlay.feed;
        const clock = feed.matches().find((m: any) => m.snapshot.clock?.running).snapshot.clock;
        return clock.remainingMs - (feed.serverNow() - Date.parse(clock.anchorAt));
      });
      const after = Date.now();
      // The truth at some instant between before and after (this process's clock is the server's).
      expect(shown).toBeLessThanOrEqual(600_000 - (before - anchor) + tolerance);
      expect(shown).toBeGreaterThanOrEqual(600_000 - (after - anchor) - tolerance);
    }
    // What it renders: the clock as the server's time has it (uncorrected it would read 3 s more).
    await page.waitForFunction(
      () => /Q1 · \d+:\d\d/.test(document.getElementById('info')?.textContent ?? ''),
      undefined,
      WAIT,
    );
    const text = (await page.textContent('#info')) ?? '';
    const [, mm, ss] = /(\d+):(\d\d)/.exec(text)!;
    const shownSeconds = Number(mm) * 60 + Number(ss);
    // The display model's clock text cuts the seconds (shared/display/clock.ts).
    const trueSeconds = Math.floor((600_000 - (Date.now() - anchor)) / 1000);
    expect(Math.abs(shownSeconds - trueSeconds)).toBeLessThanOrEqual(1);
    expect(pageErrors).toEqual([]);
  });
});

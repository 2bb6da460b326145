/**
 * The court wall's one-click handover to the hot standby (issue 16), in Chromium against the
 * real server and PostgreSQL with two real console cores on one court: the wall shows the
 * PRIMARY and the STANDBY console of the court, the director clicks "Hand over to standby",
 * the standby becomes the match's writer (its view, its presence role, the claim in
 * PostgreSQL) and scores on, and the old primary is fenced. Written against what the page
 * shows (headings, text, button names), not its markup.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleCore } from '../../desktop/core/console-core.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { adminToken } from '../faults/harness/api.js';
import { call } from '../support/api-client.js';
import { launchBrowser, watchedPage } from '../support/browser.js';
import { ADMIN, drained, scorePoints, SyncRig, waitForView } from '../support/console-rig.js';

const COURT = 'WS1';
const PRIMARY = { username: 'wall_primary', password: 'wall-primary-password-1' };
const STANDBY = { username: 'wall_standby', password: 'wall-standby-password-1' };
const WAIT_MS = 20_000;

let rig: SyncRig;
let admin: string;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let match: MatchSnapshot;
let primary: ConsoleCore;
let standby: ConsoleCore;

async function presenceRoles(): Promise<Record<string, string | null>> {
  const list = await call<{ consoleId: string; role: string | null }[]>(rig.server.url, 'GET', '/api/presence', admin);
  return Object.fromEntries(list.map((p) => [p.consoleId, p.role]));
}

async function writerRow(): Promise<{ writer: string | null; epoch: number }> {
  const { rows } = await rig.pool.query<{ writer: string | null; epoch: number }>(
    'SELECT writer_console_id::text AS writer, epoch FROM matches WHERE id = $1',
    [match.id],
  );
  return rows[0]!;
}

/** The court's card on the wall: the region under its "Court …" heading. */
function courtCard(court: string): Locator {
  return page.locator('article', { has: page.getByRole('heading', { name: `Court ${court}` }) });
}

beforeAll(async () => {
  rig = await SyncRig.start('wallstandby');
  admin = await adminToken(rig.server.url);
  for (const user of [PRIMARY, STANDBY])
    await call(rig.server.url, 'POST', '/api/users', admin, { ...user, role: 'scorer', courts: [COURT] });
  match = await call<MatchSnapshot>(rig.server.url, 'POST', '/api/matches', admin, {
    sport: 'generic',
    court: COURT,
    home: { name: 'Home' },
    away: { name: 'Away' },
  });
  primary = await rig.core({ credentials: PRIMARY, court: COURT });
  standby = await rig.core({ credentials: STANDBY, court: COURT });
  for (const core of [primary, standby]) {
    await waitForView(core, (v) => v.sync.state === 'live', WAIT_MS, 'console online');
    await waitForView(core, (v) => v.schedule.some((s) => s.meta.id === match.id), WAIT_MS, 'schedule');
  }
  expect(await primary.run('openMatch', { matchId: match.id })).toMatchObject({ ok: true });
  expect(await primary.run('start', {})).toMatchObject({ ok: true });
  await scorePoints(primary, 'home', 2);
  await waitForView(primary, drained, WAIT_MS, 'primary drained');
  expect(await standby.run('standbyMatch', { matchId: match.id })).toMatchObject({ ok: true });
  await waitForView(standby, (v) => v.snapshot?.seq === 3, WAIT_MS, 'standby mirrored');

  browser = await launchBrowser();
  ({ page, errors: pageErrors } = await watchedPage(browser));
  await page.goto(`${rig.server.url}/director`);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

describe('court wall: hot standby', () => {
  it('shows the PRIMARY and the STANDBY console of the court', async () => {
    const card = courtCard(COURT);
    await card.getByText(new RegExp(`PRIMARY\\s+${PRIMARY.username}\\b`)).waitFor({ timeout: WAIT_MS });
    await card.getByText(new RegExp(`STANDBY\\s+${STANDBY.username}\\b`)).waitFor({ timeout: WAIT_MS });
    // One standby online: one handover button.
    expect(await card.getByRole('button', { name: 'Hand over to standby' }).count()).toBe(1);
  });

  it('hands the match to the standby in one click: it writes, the old primary is fenced', async () => {
    const card = courtCard(COURT);
    await card.getByRole('button', { name: 'Hand over to standby' }).click();

    // The standby is the writer: its own view, PostgreSQL's claim, its presence role.
    const sv = await waitForView(
      standby,
      (v) => v.info.role === 'primary' && v.info.writable,
      WAIT_MS,
      'standby writes',
    );
    expect(sv.snapshot).toMatchObject({ seq: 3, home: { score: 2 } });
    expect(await writerRow()).toEqual({ writer: standby.consoleId, epoch: 1 });
    await vi.waitFor(async () => expect((await presenceRoles())[standby.consoleId]).toBe('primary'), {
      timeout: WAIT_MS,
      interval: 200,
    });

    // The old primary is fenced: read-only, its next point refused and never stored.
    const pv = await waitForView(primary, (v) => !v.info.writable, WAIT_MS, 'old primary fenced');
    expect(pv.info.role).not.toBe('primary');
    expect(await primary.run('score', { side: 'away' })).toMatchObject({ ok: false, code: 'STALE_EPOCH' });

    // Scoring goes on from the last stored event on the new writer.
    await scorePoints(standby, 'away');
    await waitForView(standby, drained, WAIT_MS, 'standby drained');
    const rows = await rig.stored(match.id);
    expect(rows.map((r) => [r.seq, r.console_id, r.epoch])).toEqual([
      [1, primary.consoleId, 0],
      [2, primary.consoleId, 0],
      [3, primary.consoleId, 0],
      [4, standby.consoleId, 1],
    ]);

    // The wall follows: the former standby is the court's PRIMARY, nobody is left to hand over to.
    await card.getByText(new RegExp(`PRIMARY\\s+${STANDBY.username}\\b`)).waitFor({ timeout: WAIT_MS });
    await card.getByRole('button', { name: 'Hand over to standby' }).waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await card.getByText(/STANDBY/).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The officials' prompts of contract v1.1 on the operator's screen, in Chromium (web console
 * host, real console core and SQLite, real server on PostgreSQL): a badminton doubles match
 * created offline in the picker, started with the toss and the pairs' choices, shows who
 * serves from which court to whom, the interval with
 * its countdown and "change ends" (also on the spectator board); a basketball match shows
 * time-outs left, players' fouls and foul-out (a further foul refused), the penalty, and a
 * score override with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressTimes, screenshot, startConsoleRig, textOf, waitText, type ConsoleRig } from './console-harness.js';

const SETUP_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 120_000;
const COURT = 'R1';

let rig: ConsoleRig;

async function waitContains(testId: string, text: string, page = rig.page): Promise<void> {
  await page.waitForFunction(
    ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(want) === true,
    [testId, text] as const,
    { timeout: 30_000 },
  );
}

async function createMatch(fill: () => Promise<void>): Promise<void> {
  const { page } = rig;
  await page
    .getByRole('button', { name: 'Matches' })
    .click()
    .catch(() => undefined);
  await fill();
  await page.fill('.create-match input[name="court"]', COURT);
  await page.getByRole('button', { name: 'Create and open' }).click();
}

describe('officials prompts on the console (Chromium)', () => {
  beforeAll(async () => {
    rig = await startConsoleRig('console_rules');
    await rig.page.goto(rig.host.url);
    await rig.page.waitForSelector('[data-testid="sync-state"]');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await rig?.close();
  }, SETUP_TIMEOUT_MS);

  it(
    'badminton doubles: serve and court, the mid-game interval countdown, change ends, on the spectator board too',
    async () => {
      const { page } = rig;
      await createMatch(async () => {
        await page.selectOption('.create-match select[name="sport"]', 'badminton');
        await page.fill('.create-match input[name="home"]', 'Denmark');
        await page.fill('.create-match input[name="away"]', 'Japan');
        await page.check('.create-match input[name="doubles"]');
        await page.fill('input[name="home-player-1"]', 'Astrup');
        await page.fill('input[name="home-player-2"]', 'Rasmussen');
        await page.fill('input[name="away-player-1"]', 'Hoki');
        await page.fill('input[name="away-player-2"]', 'Kobayashi');
      });
      await waitText(page, 'name-home', 'Denmark');
      // The toss and the pairs' choices (BWF Law 11): Rasmussen serves to Kobayashi.
      await page.click('[data-testid="open-serve"]');
      await page.selectOption('[data-testid="serve-dialog"] select[name="firstServer"]', 'home');
      await page.selectOption('[data-testid="serve-dialog"] select[name="firstServerPlayer"]', 'Rasmussen');
      await page.selectOption('[data-testid="serve-dialog"] select[name="firstReceiverPlayer"]', 'Kobayashi');
      await page.getByRole('button', { name: 'Start match' }).last().click();
      await waitText(page, 'call-serve', 'Rasmussen serves from the right court to Kobayashi');
      await page.keyboard.press('a');
      await waitText(page, 'call-serve', 'Rasmussen serves from the left court to Hoki');
      await pressTimes(page, 'a', 10);
      await waitText(page, 'score-home', '11');
      await waitContains('call-interval', 'Interval');
      const first = await textOf(page, 'interval-countdown');
      expect(first).toMatch(/^0:[0-5]\d$|^1:00$/);
      // The countdown runs on the screen (repainted from the snapshot's time, no new event).
      await page.waitForFunction(
        (before) => document.querySelector('[data-testid="interval-countdown"]')?.textContent !== before,
        first,
        { timeout: 5_000 },
      );
      expect(await page.locator('[data-testid="call-change-ends"]').count()).toBe(0);
      await screenshot(page, 'rules-01-badminton-interval');
      await pressTimes(page, 'a', 10);
      await waitContains('call-interval', 'Interval between games');
      await waitText(page, 'call-change-ends', 'Change ends');

      const board = await rig.browser.newPage({ viewport: { width: 1280, height: 720 } });
      try {
        await board.goto(`${rig.host.url}#/scoreboard`);
        await waitText(board, 'call-change-ends', 'Change ends');
        await waitContains('call-interval', 'between games', board);
        await screenshot(board, 'rules-02-spectator-change-ends');
      } finally {
        await board.close();
      }
      await page.keyboard.press('a'); // the next rally clears the calls
      await page.waitForSelector('[data-testid="call-change-ends"]', { state: 'detached' });
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'basketball: time-outs left, a player fouling out, the penalty, and a score override with a reason',
    async () => {
      const { page } = rig;
      await createMatch(async () => {
        await page.selectOption('.create-match select[name="sport"]', 'basketball');
        await page.fill('.create-match input[name="home"]', 'Serbia');
        await page.fill('.create-match input[name="away"]', 'Spain');
      });
      await waitText(page, 'name-home', 'Serbia');
      await page.keyboard.press('F2');
      await waitText(page, 'call-timeouts-left', 'Time-outs left: Serbia 2 · Spain 2');
      await page.click('[data-action="timeoutHome"]');
      await waitText(page, 'call-timeouts-left', 'Time-outs left: Serbia 1 · Spain 2');

      for (let i = 0; i < 5; i++) {
        await page.click('[data-action="foulHome"]');
        await page.waitForSelector('[data-testid="foul-dialog"]');
        await page.fill('[data-testid="foul-dialog"] input[name="player"]', '7');
        await page.keyboard.press('Enter');
        await waitContains('call-fouls-home', `#7 ${i + 1}`);
      }
      await waitText(page, 'call-fouls-home', 'Fouls Serbia: #7 5 fouled out');
      await waitText(page, 'call-penalty', 'Penalty (team fouls): Serbia');
      await page.click('[data-action="foulHome"]');
      await page.fill('[data-testid="foul-dialog"] input[name="player"]', '7');
      await page.keyboard.press('Enter');
      await waitContains('toast', 'RULES');
      expect(await textOf(page, 'toast')).toContain('disqualified');
      await screenshot(page, 'rules-03-basketball-fouls');

      await page.click('[data-testid="open-override"]');
      await page.fill('[data-testid="override-dialog"] input[name="points-home"]', '41');
      await page.fill('[data-testid="override-dialog"] input[name="points-away"]', '38');
      await page.getByRole('button', { name: 'Set score' }).last().click();
      await waitContains('override-dialog', 'A reason is needed');
      await page.fill('[data-testid="override-dialog"] input[name="reason"]', 'table sheet after a power cut');
      await page.getByRole('button', { name: 'Set score' }).last().click();
      await waitText(page, 'score-home', '41');
      await waitText(page, 'score-away', '38');
      expect(await page.locator('.event-log').textContent()).toContain('table sheet after a power cut');
    },
    STEP_TIMEOUT_MS,
  );
});

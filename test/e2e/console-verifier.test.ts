/**
 * Verifier mode end to end: Chromium drives the web console host as a second scorer on a
 * match another console scores officially (a /console socket here). The screen opens it with
 * Verify, shows VERIFYING, and scores from the keyboard; the server stores its events apart
 * (match_verify_events), marks the score unverified after 5 s of disagreement and verified
 * again once the official console agrees. The verifier is never fenced.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchSnapshot } from '../../shared/match.js';
import { VERIFY_DISAGREE_MS } from '../../shared/verification.js';
import { connectSocket, request } from '../support/server.js';
import {
  api,
  createScheduledMatch,
  pressTimes,
  queryDb,
  signInToCourt,
  startConsoleRig,
  waitText,
  type ConsoleRig,
} from './console-harness.js';

const COURT = 'C1';
const VERIFIER = { username: 'verifier-c1', password: 'verifier-c1-password' };
const OFFICIAL = { username: 'official-c1', password: 'official-c1-password' };
const VIEWER = { username: 'graphics-c1', password: 'graphics-c1-password' };
const OFFICIAL_CONSOLE = randomUUID();
const SETUP_TIMEOUT_MS = 180_000;
const STEP_TIMEOUT_MS = 120_000;

let rig: ConsoleRig;
let match: MatchSnapshot;
let official: Socket;
let seq = 0;
const at = () => new Date().toISOString();

async function officialPush(events: { type: string; payload: object }[]) {
  const ack = await request(official, 'events:push', {
    matchId: match.id,
    epoch: 0,
    events: events.map((e) => ({ seq: ++seq, ...e, at: at() })),
  });
  expect(ack).toMatchObject({ ok: true, ackedSeq: seq });
}

async function verification(): Promise<{ state: string } | null> {
  const snap = await api<MatchSnapshot>(rig.server.url, 'GET', `/api/matches/${match.id}`, rig.admin);
  return snap.verification ?? null;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('verifier mode in the console (web host, Chromium, server, PostgreSQL)', () => {
  beforeAll(async () => {
    rig = await startConsoleRig('console_verifier_e2e');
    for (const user of [VERIFIER, OFFICIAL])
      await api(rig.server.url, 'POST', '/api/users', rig.admin, { ...user, role: 'scorer', courts: [COURT] });
    await api(rig.server.url, 'POST', '/api/users', rig.admin, { ...VIEWER, role: 'viewer' });
    match = await createScheduledMatch(rig, {
      sport: 'badminton',
      court: COURT,
      home: { name: 'An Se-young' },
      away: { name: 'Chen Yufei' },
    });
    const { token } = await api<{ token: string }>(rig.server.url, 'POST', '/api/auth/login', undefined, OFFICIAL);
    official = await connectSocket(rig.server.url, '/console', token, { consoleId: OFFICIAL_CONSOLE });
    await officialPush([
      { type: 'MATCH_START', payload: {} },
      { type: 'SCORE_UPDATE', payload: { side: 'home' } },
      { type: 'SCORE_UPDATE', payload: { side: 'home' } },
    ]);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    official?.close();
    await rig?.close();
  });

  it(
    'opens the match with Verify, scores it on its own, and the server flags and clears a disagreement',
    async () => {
      const { page } = rig;
      await page.goto(rig.host.url);
      await signInToCourt(rig, VERIFIER, COURT);
      await page.waitForSelector(`[data-verify="${match.id}"]`, { timeout: 30_000 });
      await page.click(`[data-verify="${match.id}"]`);
      await page.waitForSelector('[data-testid="verifier-mode"]', { timeout: 30_000 });
      // Its own stream from the start: the official 2-0 is not copied in.
      await waitText(page, 'score-home', '0');
      await page.keyboard.press('F2');
      await waitText(page, 'match-status', 'Live');
      await pressTimes(page, 'a', 2);
      await waitText(page, 'score-home', '2');
      await until(async () => (await verification())?.state === 'agree', 30_000, 'agree');
      // Two scorebugs: one marks an unverified score, one hides it.
      const { token: viewer } = await api<{ token: string }>(
        rig.server.url,
        'POST',
        '/api/auth/login',
        undefined,
        VIEWER,
      );
      const marked = await rig.browser.newPage();
      const hidden = await rig.browser.newPage();
      await marked.goto(`${rig.server.url}/overlays/scorebug?court=${COURT}&token=${viewer}&unverified=mark`);
      await hidden.goto(`${rig.server.url}/overlays/scorebug?court=${COURT}&token=${viewer}&unverified=hide`);
      for (const overlay of [marked, hidden])
        await overlay.waitForFunction(
          (id) => document.getElementById('scorebug')?.dataset.matchId === id && !document.querySelector('.no-match'),
          match.id,
          { timeout: 30_000 },
        );
      expect(await marked.locator('.unverified-badge').isVisible()).toBe(false);

      // The verifier sees an away point the official console has not scored.
      await page.keyboard.press('l');
      await waitText(page, 'score-away', '1');
      await until(async () => (await verification())?.state === 'disagree', VERIFY_DISAGREE_MS + 30_000, 'disagree');
      const feed = await api<{ matchId: string; verified: boolean | null }[]>(
        rig.server.url,
        'GET',
        '/api/feeds/vmix',
        rig.admin,
      );
      expect(feed.find((r) => r.matchId === match.id)?.verified).toBe(false);
      await marked.waitForSelector('#scorebug.unverified .unverified-badge', { state: 'visible', timeout: 30_000 });
      await hidden.waitForSelector('#scorebug.unverified-hidden', { state: 'attached', timeout: 30_000 });
      expect(await marked.locator('#scorebug').getAttribute('class')).not.toContain('unverified-hidden');
      await officialPush([{ type: 'SCORE_UPDATE', payload: { side: 'away' } }]);
      await until(async () => (await verification())?.state === 'agree', 30_000, 'agree again');
      await marked.waitForSelector('#scorebug:not(.unverified)', { state: 'attached', timeout: 30_000 });
      await hidden.waitForSelector('#scorebug:not(.unverified-hidden)', { state: 'attached', timeout: 30_000 });
      expect(await marked.locator('#away-score').textContent()).toBe('1');

      // Never fenced, still verifying; the official log holds only the official console's events.
      expect(await page.locator('[data-testid="sync-state"]').getAttribute('data-state')).toBe('live');
      expect(await page.locator('[data-testid="verifier-mode"]').isVisible()).toBe(true);
      const officialRows = await queryDb<{ seq: number; console_id: string }>(
        rig,
        'SELECT seq, console_id::text FROM match_events WHERE match_id = $1 ORDER BY seq',
        [match.id],
      );
      expect(officialRows.map((r) => [r.seq, r.console_id])).toEqual([1, 2, 3, 4].map((s) => [s, OFFICIAL_CONSOLE]));
      const verifyRows = await queryDb<{ seq: number; console_id: string }>(
        rig,
        'SELECT seq, console_id::text FROM match_verify_events WHERE match_id = $1 ORDER BY seq',
        [match.id],
      );
      expect(verifyRows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(verifyRows.every((r) => r.console_id !== OFFICIAL_CONSOLE)).toBe(true);
      const snap = await api<MatchSnapshot>(rig.server.url, 'GET', `/api/matches/${match.id}`, rig.admin);
      expect([snap.home.score, snap.away.score]).toEqual([2, 1]);
    },
    STEP_TIMEOUT_MS,
  );
});

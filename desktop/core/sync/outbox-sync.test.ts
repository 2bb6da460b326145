/**
 * The outbox against a real server child and real PostgreSQL: a long outage, the server
 * killed (-9) again and again mid-push, killed after commit before ack, lost acks and
 * duplicated pushes. After each: every local event is in match_events exactly once, in
 * seq order, and the server's snapshot equals the console's.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRandom } from '../../../test/support/random.js';
import { DATABASE_FILE } from '../db/database.js';
import { adminToken, getMatch } from '../../../test/faults/harness/api.js';
import { TcpProxy } from '../../../test/faults/harness/tcp-proxy.js';
import type { ConsoleCore } from '../console-core.js';
import { drained, SyncRig, waitForView } from '../../../test/support/console-rig.js';
import { sleep } from '../../../test/support/wait.js';

let rig: SyncRig;
beforeAll(async () => {
  rig = await SyncRig.start('coreoutbox');
});
afterAll(async () => rig?.close());

async function newMatch(core: ConsoleCore): Promise<string> {
  const r = await core.run('createMatch', { sport: 'generic', court: 'C1', home: { name: 'H' }, away: { name: 'A' } });
  if (!r.ok || !r.matchId) throw new Error(JSON.stringify(r));
  await core.run('start', {});
  return r.matchId;
}

/** Score `n` events: mostly points, now and then an undo (a correction), all through the API. */
async function score(core: ConsoleCore, n: number, gapMs = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = i % 17 === 16 ? await core.run('undo', {}) : await core.run('score', { side: i % 3 ? 'home' : 'away' });
    if (!r.ok) throw new Error(`command ${i} refused: ${JSON.stringify(r)}`);
    if (gapMs) await sleep(gapMs);
  }
}

/** Every local event stored once, in seq order, by this console; scores agree with the server. */
async function expectAllStoredOnce(core: ConsoleCore, matchId: string): Promise<void> {
  const view = await waitForView(core, drained, 60_000, 'the outbox to drain');
  const lastSeq = view.snapshot!.seq;
  const rows = await rig.stored(matchId);
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
  expect(new Set(rows.map((r) => r.console_id))).toEqual(new Set([core.consoleId]));
  const server = await getMatch(rig.server.url, await adminToken(rig.server.url), matchId);
  expect({ home: server.home.score, away: server.away.score, status: server.status, seq: server.seq }).toEqual({
    home: view.snapshot!.home.score,
    away: view.snapshot!.away.score,
    status: view.snapshot!.status,
    seq: lastSeq,
  });
  expect(view.log.every((l) => l.confirmed)).toBe(true);
}

describe('console outbox against a real server', () => {
  it('scores 500 events with the server down, then delivers them all once and in order', async () => {
    await rig.server.kill9();
    const core = await rig.core();
    const matchId = await newMatch(core);
    await score(core, 500);
    const offline = await core.view();
    expect(offline.sync.state === 'offline' || offline.sync.state === 'connecting').toBe(true);
    expect(offline.sync.pending).toBe(501);
    expect(await rig.stored(matchId)).toEqual([]);
    const seen: Array<{ state: string; progress: { done: number; total: number } | null }> = [];
    core.subscribe((v) => seen.push({ state: v.sync.state, progress: v.sync.progress }));
    await rig.server.restart();
    await expectAllStoredOnce(core, matchId);
    // The operator saw the backlog being caught up, with how far it got.
    expect(seen.some((v) => v.state === 'catching-up' && v.progress?.total === 501)).toBe(true);
    expect(seen.at(-1)).toEqual({ state: 'live', progress: null });
  });

  it('survives the server being killed (-9) again and again while it pushes', async () => {
    const core = await rig.core({ tuning: { pushChunkEvents: 20 } });
    const matchId = await newMatch(core);
    const scoring = score(core, 400, 4);
    const random = testRandom();
    let storedBefore = 0;
    for (let round = 0; round < 3; round++) {
      // Killed mid-push: once 10-60 more events reached PostgreSQL (seeded, so a failure replays).
      const target = storedBefore + random.int(10, 60);
      await vi.waitFor(
        async () => {
          storedBefore = (await rig.stored(matchId)).length;
          expect(storedBefore).toBeGreaterThanOrEqual(target);
        },
        { timeout: 30_000, interval: 50 },
      );
      await rig.server.kill9();
      // Back up only once the console has seen its link go down.
      await waitForView(core, (v) => v.sync.state === 'offline' || v.sync.state === 'connecting', 30_000, 'link down');
      await rig.server.restart();
    }
    await scoring;
    await expectAllStoredOnce(core, matchId);
  });

  it('server killed after commit and before ack: the resend is acknowledged as a duplicate, stored once', async () => {
    await rig.server.kill9();
    rig.server.crash = { point: 'after-commit-before-ack', after: 2 };
    await rig.server.restart();
    const core = await rig.core({ tuning: { pushChunkEvents: 25 } });
    const matchId = await newMatch(core);
    await score(core, 120);
    await rig.server.exited();
    expect((await rig.stored(matchId)).length).toBeGreaterThan(0);
    rig.server.crash = null;
    await rig.server.restart();
    await expectAllStoredOnce(core, matchId);
  });

  it('lost acks and duplicated pushes through a proxy: no event lost, none twice', async () => {
    const proxy = await TcpProxy.start([{ host: '127.0.0.1', port: rig.server.port }]);
    try {
      const dropAcks = proxy.addFrameRule({
        direction: 'down',
        match: (p) => p.startsWith('43/console,') && p.includes('"ackedSeq"'),
        action: 'drop',
        remaining: 2,
      });
      const duplicatePushes = proxy.addFrameRule({
        direction: 'up',
        match: (p) => p.includes('"events:push"'),
        action: 'duplicate',
        remaining: 4,
      });
      const core = await rig.core({
        serverUrl: proxy.url,
        tuning: { pushChunkEvents: 10, pushAckTimeoutMs: 1_500 },
      });
      const matchId = await newMatch(core);
      await score(core, 150, 2);
      await expectAllStoredOnce(core, matchId);
      expect(dropAcks.hits).toBe(2);
      expect(duplicatePushes.hits).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it('a GAP below what the console believes confirmed: it resends from the expected seq, skipping nothing', async () => {
    const dataDir = rig.newDir();
    let core = await rig.core({ dataDir });
    const matchId = await newMatch(core);
    await score(core, 4);
    await waitForView(core, drained, 30_000, 'first drain');
    await rig.server.kill9();
    await score(core, 5); // seqs 6..10, never sent
    await core.close();
    // As if the server had lost seqs 6..8 after confirming them (a restore from backup).
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.prepare('UPDATE outbox SET confirmed_seq = 8 WHERE match_id = ?').run(matchId);
    db.close();
    await rig.server.restart();
    core = await rig.core({ dataDir });
    await expectAllStoredOnce(core, matchId);
    expect((await rig.stored(matchId)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

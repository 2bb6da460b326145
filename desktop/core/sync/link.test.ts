/**
 * The console's link to a real server: sign-in and a refused device token (sign in again),
 * refusal shown and fixed by new settings, a dead link noticed by the heartbeat while TCP
 * stays up, presence on the court wall, the schedule cached for offline use, no password in logs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { holdCommits } from '../../../test/support/hold-commits.js';
import { adminToken, createMatch } from '../../../test/faults/harness/api.js';
import { TcpProxy } from '../../../test/faults/harness/tcp-proxy.js';
import { ADMIN, drained, SyncRig, waitForView } from '../../../test/support/console-rig.js';
import { TOKEN_FILE_NAME } from './token-vault.js';

let rig: SyncRig;
let admin: string;
beforeAll(async () => {
  rig = await SyncRig.start('corelink');
  admin = await adminToken(rig.server.url);
});
afterAll(async () => rig?.close());

const live = (v: { sync: { state: string } }) => v.sync.state === 'live';

describe('console link', () => {
  it('refuses visibly with a wrong password, logs none of it, and connects once the settings are fixed', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const core = await rig.core({
      credentials: { username: 'admin', password: 'wrong-password-123' },
      logger: pino({ level: 'debug' }, sink),
    });
    const refused = await waitForView(core, (v) => v.sync.state === 'refused', 20_000, 'refused');
    expect(refused.sync.problem?.code).toBe('UNAUTHORIZED');
    expect(await core.run('setServer', { url: rig.server.url, ...ADMIN })).toEqual({ ok: true });
    await waitForView(core, live, 20_000, 'live after new settings');
    const log = lines.join('');
    expect(log).toContain('sync: state');
    expect(log).not.toContain('wrong-password-123');
    expect(log).not.toContain(ADMIN.password);
  });

  it('a device token no longer accepted stops the console until someone signs in again (issue 12)', async () => {
    const dataDir = rig.newDir();
    let core = await rig.core({ dataDir });
    await waitForView(core, live, 20_000, 'first connection');
    await core.close();
    // The kept device token is refused (forged here; revoked or expired in the field).
    writeFileSync(path.join(dataDir, TOKEN_FILE_NAME), 'forged.token.value', { mode: 0o600 });
    core = await rig.core({ dataDir });
    const refused = await waitForView(core, (v) => v.sync.state === 'refused', 20_000, 'refused');
    expect(refused.sync.problem?.message).toMatch(/sign in again/);
    expect((await core.run('setServer', { url: rig.server.url, ...ADMIN })).ok).toBe(true);
    await waitForView(core, live, 20_000, 'connection after the new sign-in');
    expect(readFileSync(path.join(dataDir, TOKEN_FILE_NAME), 'utf8')).not.toBe('forged.token.value');
  });

  it('closes cleanly in the middle of a drain (no unhandled error), and the next start finishes it', async () => {
    const dataDir = rig.newDir();
    let core = await rig.core({ dataDir, tuning: { pushChunkEvents: 5 } });
    await waitForView(core, live, 20_000, 'live');
    const created = await core.run('createMatch', {
      sport: 'generic',
      court: 'C1',
      home: { name: 'H' },
      away: { name: 'A' },
    });
    const matchId = (created as { matchId: string }).matchId;
    // The server's commits wait on a held lock: the drain is surely under way (a push in
    // flight, events pending) when the console closes.
    const hold = await holdCommits(rig.db.url);
    try {
      await core.run('start', {});
      for (let i = 0; i < 200; i++) await core.run('score', { side: 'away' });
      await hold.waitBlocked();
      const before = await core.view();
      expect(before.sync.state).toBe('live');
      expect(before.sync.pending).toBe(201);
      await core.close();
    } finally {
      await hold.release();
    }
    core = await rig.core({ dataDir });
    await waitForView(core, drained, 30_000, 'drained after restart');
    expect((await rig.stored(matchId)).map((r) => r.seq)).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
  });

  it('notices a dead link by its heartbeat although TCP stays open, then resumes', async () => {
    const proxy = await TcpProxy.start([{ host: '127.0.0.1', port: rig.server.port }]);
    try {
      const core = await rig.core({ serverUrl: proxy.url });
      await waitForView(core, live, 20_000, 'live');
      const match = await core.run('createMatch', {
        sport: 'generic',
        court: 'C1',
        home: { name: 'H' },
        away: { name: 'A' },
      });
      await core.run('start', {});
      proxy.setMode('blackhole');
      await core.run('score', { side: 'home' });
      const down = await waitForView(
        core,
        (v) => v.sync.state === 'offline' || v.sync.state === 'connecting',
        20_000,
        'dead link',
      );
      // No connection was reset or closed: the console's heartbeat found the link dead.
      expect(proxy.stats.resets).toBe(0);
      expect(down.sync.problem?.code).toBe('NETWORK');
      expect(down.sync.pending).toBeGreaterThan(0);
      proxy.setMode('pass');
      await waitForView(core, drained, 45_000, 'drained after the link came back');
      expect((await rig.stored((match as { matchId: string }).matchId)).map((r) => r.seq)).toEqual([1, 2]);
    } finally {
      await proxy.close();
    }
  });

  it('reports presence for the court wall and keeps the schedule for offline use', async () => {
    const scheduled = await createMatch(rig.server.url, admin, { court: 'C9', sport: 'badminton' });
    const dataDir = rig.newDir();
    let core = await rig.core({ dataDir, court: 'C9' });
    await waitForView(core, (v) => v.schedule.some((s) => s.meta.id === scheduled.id), 20_000, 'schedule');
    await core.run('openMatch', { matchId: scheduled.id });
    await core.run('start', {});
    await waitForView(core, drained, 20_000, 'drained');
    const presence = async () => {
      const res = await fetch(`${rig.server.url}/api/presence`, { headers: { authorization: `Bearer ${admin}` } });
      const all = (await res.json()) as Array<{
        consoleId: string;
        matchId: string;
        court: string;
        state: string;
        online: boolean;
      }>;
      return all.find((p) => p.consoleId === core.consoleId);
    };
    await vi.waitFor(
      async () =>
        expect(await presence()).toMatchObject({ court: 'C9', matchId: scheduled.id, state: 'live', online: true }),
      { timeout: 10_000, interval: 100 },
    );

    // Offline, even after a restart of the console, the court's schedule is still there.
    await rig.server.kill9();
    await core.close();
    core = await rig.core({ dataDir, court: 'C9' });
    const offline = await core.view();
    expect(offline.sync.state === 'offline' || offline.sync.state === 'connecting').toBe(true);
    expect(offline.schedule.map((s) => s.meta.id)).toContain(scheduled.id);
    expect(offline.info.matchId).toBe(scheduled.id);
    await rig.server.restart();
    await waitForView(core, live, 45_000, 'live again');
  });

  it('the device token outlives the server’s short session tokens: no drop across their expiry, nothing lost', async () => {
    await rig.server.kill9();
    rig.server.env = { SCOREDESK_TOKEN_TTL_S: '10' };
    await rig.server.restart();
    try {
      const core = await rig.core();
      await waitForView(core, live, 20_000, 'live');
      const created = await core.run('createMatch', {
        sport: 'generic',
        court: 'C1',
        home: { name: 'H' },
        away: { name: 'A' },
      });
      const matchId = (created as { matchId: string }).matchId;
      await core.run('start', {});
      const states: string[] = [];
      core.subscribe((v) => {
        if (states.at(-1) !== v.sync.state) states.push(v.sync.state);
      });
      // Score across the expiry (10 s): one point every 250 ms for 13 s.
      for (let i = 0; i < 52; i++) {
        expect((await core.run('score', { side: 'home' })).ok).toBe(true);
        await new Promise((r) => setTimeout(r, 250));
      }
      await waitForView(core, drained, 30_000, 'drained');
      // Signed in once: the device token (30 days) is not a 10 s session token (issue 12).
      expect(states).not.toContain('offline');
      expect(states.at(-1)).toBe('live');
      expect((await rig.stored(matchId)).map((r) => r.seq)).toEqual(Array.from({ length: 53 }, (_, i) => i + 1));
    } finally {
      rig.server.env = {};
    }
  });
});

/**
 * Issue 12: the console signs in once and then keeps a revocable device token, not the
 * password. Against the real server (child process) and PostgreSQL, real SQLite files:
 * - after a sign-in neither the SQLite file nor its WAL holds the password, the device
 *   token is in a 0600 file (the web console host's vault; Electron uses safeStorage), and
 *   a restart without the password connects with the device token;
 * - a console database of the previous version with a stored password loses it on open;
 * - revoking the device token (the court wall's POST /api/tokens/revoke) stops that
 *   console: it asks for a sign-in, keeps scoring locally, and a sign-in sends what it kept,
 *   once. An honest console on another court keeps its acks under 1 s throughout.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test/support/api-client.js';
import { adminToken, createMatch, userToken } from '../../../test/faults/harness/api.js';
import { HonestCourt } from '../../../test/security/honest-court.js';
import { DATABASE_FILE } from '../db/database.js';
import { MIGRATIONS } from '../db/migrations.js';
import { ADMIN, drained, SyncRig, waitForView } from '../../../test/support/console-rig.js';
import { TOKEN_FILE_MODE, TOKEN_FILE_NAME } from './token-vault.js';

let rig: SyncRig;
let admin: string;
beforeAll(async () => {
  rig = await SyncRig.start('coredevice');
  admin = await adminToken(rig.server.url);
});
afterAll(async () => rig?.close());

const live = (v: { sync: { state: string } }) => v.sync.state === 'live';

/** Every byte of the console's SQLite files (database, WAL, journal). */
function sqliteBytes(dataDir: string): Buffer {
  return Buffer.concat(
    readdirSync(dataDir)
      .filter((f) => f.startsWith(DATABASE_FILE))
      .map((f) => readFileSync(path.join(dataDir, f))),
  );
}

describe('device token', () => {
  it('keeps no password in SQLite, the device token in a 0600 file, and restarts without the password', async () => {
    const dataDir = rig.newDir();
    let core = await rig.core({ dataDir });
    const signedIn = await waitForView(core, live, 20_000, 'signed in');
    // The screen learns where the sign-in is kept, never the token.
    expect(signedIn.sync.tokenStorage).toBe('file');
    expect(JSON.stringify(signedIn)).not.toContain(readFileSync(path.join(dataDir, TOKEN_FILE_NAME), 'utf8'));
    const tokenFile = path.join(dataDir, TOKEN_FILE_NAME);
    expect(existsSync(tokenFile)).toBe(true);
    expect(statSync(tokenFile).mode & 0o777).toBe(TOKEN_FILE_MODE);
    const claims = JSON.parse(
      Buffer.from(readFileSync(tokenFile, 'utf8').split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({ kind: 'device', name: ADMIN.username });
    expect(sqliteBytes(dataDir).includes(Buffer.from(ADMIN.password))).toBe(false);
    await core.close();
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    const keys = db.prepare('SELECT key FROM settings').pluck().all();
    db.close();
    expect(keys).not.toContain('password');
    expect(keys).not.toContain('token');
    // No password given this time: the device token is enough.
    core = await rig.core({ dataDir, credentials: undefined });
    await waitForView(core, live, 20_000, 'connected with the device token');
    await core.close();
  });

  it('drops the password an older console database stored', async () => {
    const dataDir = rig.newDir();
    // A database as version 1 left it: its schema, and the password in settings.
    const old = new Database(path.join(dataDir, DATABASE_FILE));
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO settings (key, value) VALUES ('password', 'old-secret-9'), ('token', 'x.y.z')").run();
    old.close();
    const reopened = await rig.core({ dataDir, serverUrl: undefined, credentials: undefined });
    await reopened.close();
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT key FROM settings WHERE key IN ('password', 'token')").all()).toEqual([]);
    db.close();
    expect(sqliteBytes(dataDir).includes(Buffer.from('old-secret-9'))).toBe(false);
  });

  it('revoking the device token stops that console; a sign-in sends what it kept, once; another court is served', async () => {
    const honestMatch = await createMatch(rig.server.url, admin, { court: 'C9' });
    const honest = await HonestCourt.connect({
      url: rig.server.url,
      token: await userToken(rig.server.url, admin, 'honest-c9', 'scorer'),
      matchId: honestMatch.id,
      databaseUrl: rig.db.url,
    });
    try {
      const core = await rig.core();
      await waitForView(core, live, 20_000, 'live');
      const created = (await core.run('createMatch', {
        sport: 'generic',
        court: 'C1',
        home: { name: 'H' },
        away: { name: 'A' },
      })) as { matchId: string };
      await core.run('start', {});
      await core.run('score', { side: 'home' });
      await waitForView(core, drained, 20_000, 'first events sent');

      const tokens = await call<{ tokenId: string; kind: string; consoleIds: string[] }[]>(
        rig.server.url,
        'GET',
        '/api/tokens',
        admin,
      );
      const device = tokens.find((t) => t.kind === 'device' && t.consoleIds.includes(core.consoleId));
      expect(device).toBeDefined();
      honest.start();
      await call(rig.server.url, 'POST', '/api/tokens/revoke', admin, { tokenId: device!.tokenId });
      const stopped = await waitForView(core, (v) => v.sync.state === 'refused', 20_000, 'stopped');
      expect(stopped.sync.problem?.message).toMatch(/sign in again/);
      expect(stopped.sync.tokenStorage).toBeNull();
      // Scoring goes on locally; nothing reaches the server.
      for (let i = 0; i < 3; i++) expect((await core.run('score', { side: 'away' })).ok).toBe(true);
      expect((await rig.stored(created.matchId)).length).toBe(2);
      await honest.stop(10);
      await honest.expectServed();

      expect((await core.run('setServer', { url: rig.server.url, ...ADMIN })).ok).toBe(true);
      await waitForView(core, drained, 30_000, 'drained after the new sign-in');
      expect((await rig.stored(created.matchId)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      honest.close();
    }
  });
});

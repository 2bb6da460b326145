/**
 * `npm run server` with nothing configured but a data folder: the embedded PostgreSQL,
 * a generated JWT secret kept with mode 600, the admin bootstrap, debug socket logs
 * without secrets, SIGTERM -> exit 0; a second start on the same folder reuses all of it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freeLoopbackPort } from '../test/support/ports.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../test/support/server-process.js';
import { connectSocket, request } from '../test/support/server.js';
import { until } from '../test/support/wait.js';
import { JWT_SECRET_FILE } from './db/secrets.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-embedded-'));
let running: ServerProcess | undefined;

afterAll(async () => {
  await running?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function login(url: string): Promise<string> {
  const res = await fetch(url + '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: CHILD_ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

it('starts from an empty data folder, keeps its secret, and restarts on the same data', async () => {
  const env = {
    SCOREDESK_JWT_SECRET: '',
    SCOREDESK_EMBEDDED_PG_PORT: String(await freeLoopbackPort()),
    SCOREDESK_DEBUG_SOCKETS: '1',
  };
  running = await spawnServer({ dataDir, env });
  expect(running.logs.some((l) => l.includes('"embeddedDatabase":true'))).toBe(true);
  expect(running.logs.some((l) => l.includes('migrations applied'))).toBe(true);
  const secretFile = path.join(dataDir, JWT_SECRET_FILE);
  expect(statSync(secretFile).mode & 0o777).toBe(0o600);
  const secret = readFileSync(secretFile, 'utf8').trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const token = await login(running.url);
  expect((await fetch(running.url + '/healthz')).status).toBe(200);

  const socket = await connectSocket(running.url, '/console', token);
  expect((await request(socket, 'schedule:list', {})).ok).toBe(true);
  socket.close();
  // Debug mode logs socket events by name; secrets and tokens never reach the log.
  const first = running;
  await until(() => first.logs.some((l) => l.includes('"event":"schedule:list"')), 'schedule:list in the log');
  const allLogs = running.logs.join('\n');
  expect(allLogs).not.toContain(secret);
  expect(allLogs).not.toContain(token);
  expect(allLogs).not.toContain(CHILD_ADMIN_PASSWORD);
  expect(await running.stop()).toBe(0);

  // Second start the way `npm run server` runs it (tsx CLI wrapper): SIGTERM must still flush and exit 0.
  running = await spawnServer({ dataDir, env: { ...env, SCOREDESK_DEBUG_SOCKETS: '0' }, viaTsxCli: true });
  expect(running.logs.some((l) => l.includes('migrations applied'))).toBe(false);
  expect(readFileSync(secretFile, 'utf8').trim()).toBe(secret);
  // Same secret: a token from the first run is still valid.
  const res = await fetch(running.url + '/api/matches', { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(await running.stop()).toBe(0);
  running = undefined;
});

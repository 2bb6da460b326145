#!/usr/bin/env node
/**
 * `npm start`: installs what is missing, then runs the whole system on this machine:
 * the central server (port 3001, embedded PostgreSQL under ./data) and a scoring
 * console: the Electron window where its binary is present, otherwise the same console
 * served to the browser (its URL is printed). Ctrl+C stops everything cleanly.
 *
 * First start: an `admin` user (director) and a `console` user (scorer) are created
 * with generated passwords, kept in ./data/credentials.json (mode 600, never printed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installIfNeeded } from './install.mjs';
import { electronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The server needs a few seconds on first start (initdb, migrations). */
const SERVER_READY_TIMEOUT_MS = 90_000;

installIfNeeded({ quiet: true });

const dataDir = path.resolve(process.env.SCOREDESK_DATA_DIR ?? path.join(root, 'data'));
mkdirSync(dataDir, { recursive: true });
const credentials = loadCredentials();
const port = Number(process.env.PORT ?? 3001);
const serverUrl = `http://127.0.0.1:${port}`;
const children = [];

const server = run('server', ['scripts/server.mjs'], {
  SCOREDESK_DATA_DIR: dataDir,
  SCOREDESK_ADMIN_PASSWORD: process.env.SCOREDESK_ADMIN_PASSWORD ?? credentials.admin,
});
server.on('exit', (code) => shutdown(code ?? 1));
await waitForHealth();
await ensureConsoleUser();

const binary = electronBinary(root);
if (binary && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  console.log('[start] Electron binary found: building and opening the console window');
  spawnSync('node', ['scripts/electron-rebuild.mjs'], { cwd: root, stdio: 'inherit' });
  spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  const electron = run('console', [binary, '.'], consoleEnv(), { direct: true });
  electron.on('exit', () => shutdown(0));
} else {
  console.log('[start] no Electron binary or display here: serving the console to the browser');
  run('console', ['--import', 'tsx', 'desktop/web-host/main.ts'], consoleEnv());
}
console.log(`[start] server ${serverUrl} (director: ${serverUrl}/director, user admin)`);
console.log(`[start] passwords for admin and console are in ${path.join(dataDir, 'credentials.json')}`);

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

function consoleEnv() {
  return {
    SCOREDESK_SERVER_URL: serverUrl,
    SCOREDESK_CONSOLE_DATA_DIR: path.join(dataDir, 'console'),
    SCOREDESK_CONSOLE_USER: 'console',
    SCOREDESK_CONSOLE_PASSWORD: credentials.console,
  };
}

function run(name, args, env, { direct = false } = {}) {
  const [command, ...rest] = direct ? args : [process.execPath, ...args];
  const child = spawn(command, rest, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  return child;
}

function loadCredentials() {
  const file = path.join(dataDir, 'credentials.json');
  if (!existsSync(file)) {
    const fresh = { admin: randomBytes(12).toString('base64url'), console: randomBytes(12).toString('base64url') };
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function waitForHealth() {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${serverUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  console.error('[start] the server did not become healthy in time');
  shutdown(1);
}

/** The console logs in as a scorer; create that user once, through the public API. */
async function ensureConsoleUser() {
  const login = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: process.env.SCOREDESK_ADMIN_PASSWORD ?? credentials.admin }),
  });
  if (!login.ok) {
    console.warn('[start] could not log in as admin; create a scorer user for the console by hand');
    return;
  }
  const { token } = await login.json();
  const created = await fetch(`${serverUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ username: 'console', password: credentials.console, role: 'scorer' }),
  });
  if (!created.ok && created.status !== 409) console.warn(`[start] creating the console user: HTTP ${created.status}`);
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() =>
    process.exit(code),
  );
}

#!/usr/bin/env node
/**
 * Installs dependencies exactly as locked, on a fresh machine, with nothing set by hand.
 *
 * Electron's postinstall downloads its binary from the internet; where that is not
 * reachable it would fail the whole install. So the install skips it, then tries the
 * download on its own: with the binary, `npm start` opens the Electron window; without
 * it, the same console is served to the browser.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'node_modules', '.scoredesk-install-stamp');
/** The binary download gets this long before we give up and use the browser console. */
const ELECTRON_DOWNLOAD_TIMEOUT_MS = 120_000;

function lockHash() {
  return createHash('sha256')
    .update(readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
}

export function installIfNeeded({ quiet = false } = {}) {
  const hash = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    if (!quiet) console.log('[install] dependencies are up to date');
    return;
  }
  console.log('[install] npm ci (first run compiles better-sqlite3: about a minute)');
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (ci.status !== 0) {
    console.error('[install] npm ci failed');
    process.exit(ci.status ?? 1);
  }
  tryElectronBinary();
  writeFileSync(stamp, hash);
}

function tryElectronBinary() {
  if (process.env.SCOREDESK_SKIP_ELECTRON_DOWNLOAD === '1') return;
  const installer = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return;
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [installer], {
    cwd: path.dirname(installer),
    env,
    stdio: 'pipe',
    timeout: ELECTRON_DOWNLOAD_TIMEOUT_MS,
  });
  if (result.status === 0) console.log('[install] Electron binary installed');
  else console.log('[install] Electron binary not available here: the console will be served to the browser');
}

if (import.meta.url === `file://${process.argv[1]}`) installIfNeeded();

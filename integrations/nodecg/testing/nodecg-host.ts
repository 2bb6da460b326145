/**
 * The real NodeCG (npm `nodecg` 2.6.4) for the bundle's test. It is not in the main
 * install (about 470 packages and 330 MB, plus another better-sqlite3): the first run
 * installs it with `npm ci` from testing/nodecg-host/'s lock file into
 * node_modules/.cache/scoredesk-nodecg-host (bounded by NODECG_INSTALL_TIMEOUT_MS), and
 * later runs reuse it while the lock file is unchanged.
 *
 * Each NodeCG runs in a temporary root laid out as NodeCG expects when installed as a
 * dependency: package.json, node_modules (a link to that install), cfg/nodecg.json
 * ({port, host: 127.0.0.1}), cfg/<bundle>.json and bundles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readyOnLine } from '../../../test/support/child-ready.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const HOST_SOURCE = path.join(import.meta.dirname, 'nodecg-host');
const HOST_DIR = path.join(REPO, 'node_modules/.cache/scoredesk-nodecg-host');
const STAMP = path.join(HOST_DIR, '.installed-lock-sha256');
/** npm ci of ~470 packages with a better-sqlite3 compile took about 90 s here: bounded well above it. */
export const NODECG_INSTALL_TIMEOUT_MS = 300_000;
/** NodeCG parses every bundle and opens its SQLite database before it listens. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 300;

function lockHash(): string {
  return createHash('sha256')
    .update(readFileSync(path.join(HOST_SOURCE, 'package-lock.json')))
    .digest('hex');
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${output}`));
    });
  });
}

/** The NodeCG install, installed on first use; returns its folder (holding node_modules/nodecg). */
export async function ensureNodecgInstall(): Promise<string> {
  const hash = lockHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return HOST_DIR;
  rmSync(HOST_DIR, { recursive: true, force: true });
  mkdirSync(HOST_DIR, { recursive: true });
  for (const file of ['package.json', 'package-lock.json'])
    cpSync(path.join(HOST_SOURCE, file), path.join(HOST_DIR, file));
  await run('npm', ['ci', '--no-audit', '--no-fund'], HOST_DIR, NODECG_INSTALL_TIMEOUT_MS);
  writeFileSync(STAMP, hash);
  return HOST_DIR;
}

export interface NodecgOptions {
  port: number;
  /** Bundle name -> a folder to copy into bundles/ (as a graphics team installs one). */
  bundles: Record<string, string>;
  /** Bundle name -> its cfg/<name>.json. */
  configs: Record<string, unknown>;
  /** Reuse a root (a NodeCG restart keeps its database of replicants); default: a new one. */
  root?: string;
}

export interface NodecgProcess {
  url: string;
  root: string;
  logs: string[];
  /** SIGTERM and wait (SIGKILL after STOP_TIMEOUT_MS); the root stays for a restart. */
  stop(): Promise<void>;
  /** Removes the root (after stop). */
  remove(): void;
}

/** Creates the root (or updates the given one) and starts NodeCG in it; resolves once it listens. */
export async function startNodecg(options: NodecgOptions): Promise<NodecgProcess> {
  const host = await ensureNodecgInstall();
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), 'scoredesk-nodecg-'));
  if (!options.root) {
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'nodecg-test-root', private: true }));
    symlinkSync(path.join(host, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  }
  mkdirSync(path.join(root, 'cfg'), { recursive: true });
  writeFileSync(path.join(root, 'cfg/nodecg.json'), JSON.stringify({ port: options.port, host: '127.0.0.1' }));
  for (const [name, config] of Object.entries(options.configs))
    writeFileSync(path.join(root, 'cfg', `${name}.json`), JSON.stringify(config));
  for (const [name, dir] of Object.entries(options.bundles)) {
    const target = path.join(root, 'bundles', name);
    rmSync(target, { recursive: true, force: true });
    cpSync(dir, target, { recursive: true });
  }

  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'node_modules/nodecg/index.js')], {
    cwd: root,
    env: { ...process.env, NODECG_ROOT: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await readyOnLine(child, exited, {
    logs,
    keep: LOG_LINES_KEPT,
    marker: 'NodeCG running on',
    timeoutMs: READY_TIMEOUT_MS,
    timeoutError: () => new Error(`NodeCG did not start:\n${logs.slice(-30).join('\n')}`),
    exitError: () => new Error(`NodeCG exited during start-up:\n${logs.slice(-30).join('\n')}`),
  }).catch(async (error) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    root,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

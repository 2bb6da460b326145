/**
 * The overlays and the court wall are TypeScript pages built by Vite
 * (server/broadcast/pages/vite.config.ts) into PAGES_OUT_DIR, which the server serves
 * (pages.ts). `npm run server` builds them on its way up when their sources changed since
 * the last build (ensurePagesBuild in server/main.ts), as the web console host does with
 * its renderer; the test tiers that start servers do the same once per run.
 *
 * "Changed" is exact: each build writes a stamp listing every source file it read (from
 * this checkout, not node_modules) with its hash, and the hash of package-lock.json for
 * the packages it bundled (socket.io-client, zod). Checking it reads a few dozen files.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../repo-paths.js';

export const PAGES_SOURCE_DIR = path.join(REPO_ROOT, 'server', 'broadcast', 'pages');
export const PAGES_OUT_DIR = path.join(REPO_ROOT, 'out', 'broadcast-pages');
/** Scripts and styles go here under the build, served at /broadcast-assets (pages.ts ASSETS_PATH). */
export const PAGES_ASSETS_DIR = 'broadcast-assets';
/** The HTML pages, at the build's top level. */
export const PAGE_FILES = ['scorebug.html', 'courts.html', 'director.html'] as const;
export type PageFile = (typeof PAGE_FILES)[number];

const PAGES_CONFIG = path.join(PAGES_SOURCE_DIR, 'vite.config.ts');
/** This module: how the build is checked is part of what it depends on. */
const THIS_MODULE = path.join(REPO_ROOT, 'server', 'broadcast', 'pages-build.ts');
const STAMP_FILE = '.build-stamp.json';
const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');

interface BuildStamp {
  /** Repository-relative path -> sha256 of its content. */
  files: Record<string, string>;
  lock: string;
}

function hashOf(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null; // gone: the stamp no longer matches
  }
}

/** Written by the build (vite.config.ts): the sources it read, this module and its config among them. */
export function writeBuildStamp(outDir: string, sources: Iterable<string>): void {
  const files: Record<string, string> = {};
  for (const file of [...sources, PAGES_CONFIG, THIS_MODULE]) {
    const hash = hashOf(file);
    if (hash) files[path.relative(REPO_ROOT, file)] = hash;
  }
  const stamp: BuildStamp = { files, lock: hashOf(LOCK_FILE) ?? '' };
  writeFileSync(path.join(outDir, STAMP_FILE), JSON.stringify(stamp, null, 1));
}

/** Whether `dir` holds a build of the sources as they are now. */
export function isBuildFresh(dir: string): boolean {
  if (PAGE_FILES.some((page) => !existsSync(path.join(dir, page)))) return false;
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(dir, STAMP_FILE), 'utf8')) as BuildStamp;
  } catch {
    return false;
  }
  if (stamp.lock !== (hashOf(LOCK_FILE) ?? '')) return false;
  const files = Object.entries(stamp.files ?? {});
  return files.length > 0 && files.every(([file, hash]) => hashOf(path.join(REPO_ROOT, file)) === hash);
}

/**
 * Puts a finished build in place of `dir` with two renames, so a server serving `dir`
 * meanwhile never reads half a build. Another process that got there first wins: its
 * build is of the same sources.
 */
function swapIn(built: string, dir: string): void {
  const old = `${dir}.${process.pid}.old`;
  try {
    renameSync(dir, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(built, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    rmSync(built, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * `vite build` of the pages into `outDir`, in a child process: the bundler (Vite, Rolldown,
 * their native parts) would otherwise stay in the server's memory for as long as it serves,
 * tens of MB that every venue's server would pay for one build on its way up.
 */
function viteBuild(outDir: string): Promise<void> {
  const manifest = createRequire(import.meta.url).resolve('vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } };
  const vite = path.join(path.dirname(manifest), bin.vite);
  const args = [vite, 'build', '--config', PAGES_CONFIG, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `vite build of the pages failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? ''}`,
            ),
          ),
    );
  });
}

/** Builds the pages into `outDir` (default PAGES_OUT_DIR) unless a build of the current sources is there. */
export async function ensurePagesBuild(
  options: { outDir?: string; force?: boolean } = {},
): Promise<{ dir: string; built: boolean }> {
  const dir = path.resolve(options.outDir ?? PAGES_OUT_DIR);
  if (!options.force && isBuildFresh(dir)) return { dir, built: false };
  const staging = `${dir}.${process.pid}.${Date.now()}.tmp`;
  try {
    await viteBuild(staging);
    swapIn(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, built: true };
}

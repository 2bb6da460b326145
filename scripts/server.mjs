#!/usr/bin/env node
/**
 * `npm run server [entry]`: compiles the server (server/main.ts by default, with what it
 * imports from server/ and shared/) into one ES module under out/ with esbuild, then runs
 * it in this process. npm packages stay external (loaded from node_modules as usual).
 *
 * Why ahead of time rather than through tsx's loader (which tests and development use):
 * the loader keeps every transformed module and its source map in memory, measured at
 * about 50 MB of resident memory per server process, which a venue's server pays for
 * nothing. The compile takes well under a second. A source map is written beside the
 * bundle: `NODE_OPTIONS=--enable-source-maps npm run server` gives stack traces in the
 * TypeScript sources.
 */
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from './server-env.mjs';

// The process environment is read by the C library, and V8's flags by V8, before any JavaScript
// runs: when either is missing, the server runs in a child started with them, and this process
// only relays signals.
const missingFlags = SERVER_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag));
const missing =
  missingFlags.length > 0 || Object.entries(SERVER_PROCESS_ENV).some(([name, value]) => process.env[name] !== value);
if (missing) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...missingFlags, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, ...SERVER_PROCESS_ENV },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await compileAndRun();
}

async function compileAndRun() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const entry = process.argv[2] ?? 'server/main.ts';
  // Same depth under out/ as the source, so paths printed in stack traces read the same.
  const outfile = path.join(root, 'out', entry.replace(/\.ts$/, '.mjs'));

  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  await esbuild.stop();
  mkdirSync(path.dirname(outfile), { recursive: true });
  // Written under a temporary name and renamed: two servers started at once never load half a file.
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  await import(pathToFileURL(outfile).href);
}

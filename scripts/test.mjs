#!/usr/bin/env node
/**
 * The full test suite, from a fresh machine: installs what is missing, runs the static
 * checks (types, ESLint, formatting, the Electron build, the overlay pages' build) and
 * every vitest project (unit, integration against real PostgreSQL, e2e in Chromium,
 * faults: vitest.config.ts), then prints one last line `N passed, N failed` that CI reads.
 *
 * PostgreSQL: SCOREDESK_TEST_DATABASE_URL if set (CI starts Debian's), otherwise the
 * vitest global setup starts an embedded one. Arguments after `--` go to vitest and
 * skip the static checks (`npm test -- server/ingest`).
 *
 * Randomness in tests comes from one seed (test/support/random.ts), printed here and by a
 * failing test: `SCOREDESK_TEST_SEED=N npm test` replays a run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installIfNeeded } from './install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitestArgs = process.argv.slice(2);
const CHROMIUM = '/usr/bin/chromium';

installIfNeeded({ quiet: true });
ensureChromium();

let passed = 0;
let failed = 0;
const failures = [];

if (vitestArgs.length === 0) {
  // Two at a time (two cores; each is one busy thread most of its run), each one's output
  // printed whole when it ends, in this order.
  await checksTwoAtATime([
    ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
    ['lint (eslint)', 'npx', ['eslint', '.']],
    ['format (prettier --check)', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
    ['electron-vite build', 'npx', ['electron-vite', 'build']],
    ['overlay pages build', 'npm', ['run', '--silent', 'build:pages']],
  ]);
}
runVitest();

for (const name of failures) console.log(`FAILED: ${name}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/** Runs the checks with at most two at once; each counts as one passed or failed test. */
async function checksTwoAtATime(checks) {
  const outcomes = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      const [, command, args] = checks[index];
      outcomes[index] = await runCaptured(command, args);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const [index, [name]] of checks.entries()) {
    const { status, output } = outcomes[index];
    console.log(`\n=== ${name} ===`);
    process.stdout.write(output);
    if (status === 0) passed++;
    else {
      failed++;
      failures.push(name);
    }
  }
}

/** Runs the command, resolving with its exit status and its output (stdout and stderr interleaved). */
function runCaptured(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ status: 1, output: `${output}${error.message}\n` }));
    child.on('close', (status) => resolve({ status, output }));
  });
}

function runVitest() {
  mkdirSync(path.join(root, 'artifacts'), { recursive: true });
  const report = path.join(root, 'artifacts', 'vitest.json');
  const seed = process.env.SCOREDESK_TEST_SEED || String(randomInt(2 ** 31));
  console.log(`\n=== vitest (test seed ${seed}: replay with SCOREDESK_TEST_SEED=${seed}) ===`);
  spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs],
    { cwd: root, stdio: 'inherit', env: { ...process.env, SCOREDESK_TEST_SEED: seed } },
  );
  if (!existsSync(report)) {
    failed++;
    failures.push('vitest produced no report');
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  for (const file of json.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') {
        failed++;
        failures.push(`${path.relative(root, file.name)} > ${t.fullName}`);
      }
    }
    // A file that failed to load or whose hooks failed has no failed test: count it once.
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed++;
      failures.push(`${path.relative(root, file.name)} (suite failed: ${String(file.message ?? '').split('\n')[0]})`);
    }
  }
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.warn(
      `[test] ${CHROMIUM} is missing; install Debian's chromium (apt-get install chromium) for the browser tests`,
    );
    return;
  }
  console.log('[test] installing Debian chromium for the browser tests');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

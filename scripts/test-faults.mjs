#!/usr/bin/env node
/**
 * `npm run test:faults`: the fault suite (vitest project `faults`: test/faults/*.test.ts, also
 * part of `npm test`).
 * `npm run test:faults -- --long [--seed=N] [--minutes=M]`: first the same scenarios with
 * long faults (network cut for two minutes, PostgreSQL down 30 s), then the randomized
 * fault schedule (test/faults/long) over many matches; prints the seed to rerun it.
 * PostgreSQL: SCOREDESK_TEST_DATABASE_URL if set, else the vitest global setup's
 * embedded one; the fault tests that restart PostgreSQL start clusters of their own.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const long = args.includes('--long');
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const seed = option('seed') ?? String(Math.floor(Math.random() * 2 ** 31));
const minutes = option('minutes');

function vitest(vitestArgs, env) {
  const result = spawnSync('npx', ['vitest', 'run', ...vitestArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

let ok;
if (!long) {
  ok = vitest(['--project', 'faults'], {});
} else {
  console.log(`[test:faults] long run, seed=${seed} (rerun with: npm run test:faults -- --long --seed=${seed})`);
  const scenarios = vitest(['--project', 'faults'], {
    SCOREDESK_FAULT_CUT_MS: String(2 * 60_000),
    SCOREDESK_FAULT_PG_OUTAGE_MS: String(30_000),
  });
  const randomized = vitest(['--config', 'test/faults/long/vitest.config.ts'], {
    SCOREDESK_LONG_FAULTS: '1',
    SCOREDESK_FAULT_SEED: seed,
    ...(minutes ? { SCOREDESK_FAULT_DURATION_S: String(Number(minutes) * 60) } : {}),
  });
  console.log(
    `[test:faults] seed=${seed}: scenarios ${scenarios ? 'passed' : 'FAILED'}, randomized ${randomized ? 'passed' : 'FAILED'}`,
  );
  ok = scenarios && randomized;
}
process.exit(ok ? 0 : 1);

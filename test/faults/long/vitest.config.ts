/**
 * The long randomized fault run (`npm run test:faults -- --long`), kept out of the
 * normal suite (vitest.config.ts excludes test/faults/long): minutes per run.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Run from the repository root (scripts/test-faults.mjs does).
    root: process.cwd(),
    include: ['test/faults/long/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    pool: 'forks',
  },
});

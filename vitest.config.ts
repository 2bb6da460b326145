import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'desktop/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'test/faults/long/**'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests start real servers and databases: generous, but bounded.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the timing-sensitive integration tests flaky.
    maxWorkers: 2,
    pool: 'forks',
  },
});

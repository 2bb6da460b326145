/**
 * Four test tiers (vitest projects), each run on its own by `npm run test:<tier>` and all
 * of them by `npm test` (scripts/test.mjs):
 * - unit: pure code, no PostgreSQL, no network, no child process (test/support/unit-guard.ts
 *   makes a socket, a listener or a spawn fail the test, naming this file). Seconds.
 * - integration: real PostgreSQL, real Socket.io over loopback, real server processes; its
 *   attack tests (test/security) are the project `attacks`, run last and one file at a time.
 * - e2e: Chromium (playwright-core, /usr/bin/chromium) against the real server.
 * - faults: the fault scenarios (test/faults); their long forms run from scripts/test-faults.mjs.
 * A new test falls into a tier by its path: test/e2e, test/faults, test/security (attacks) and
 * test/integration by folder; next to the code, `*.integration.test.ts` / `*.e2e.test.ts`,
 * and every other test is a unit test (so none is left out of every tier). INTEGRATION and
 * E2E list the older tests beside the code that predate the suffixes.
 */
import { defineConfig } from 'vitest/config';

/** Beside the code, opening PostgreSQL, a server, a socket, a build or a child process. */
const INTEGRATION = [
  'desktop/core/console-crash.test.ts',
  'desktop/core/sync/handover.test.ts',
  'desktop/core/sync/link.test.ts',
  'desktop/core/sync/outbox-sync.test.ts',
  'desktop/web-host/host-socket.test.ts',
  'desktop/web-host/renderer-build.test.ts',
  'server/broadcast/sse-stream.test.ts',
  'server/broadcast/viewer-tokens.test.ts',
  'server/cluster.test.ts',
  'server/db/health.test.ts',
  'server/embedded-start.test.ts',
  'server/http/api.test.ts',
  'server/ingest/backlog.test.ts',
  'server/ingest/ingest.test.ts',
  'server/live/live.test.ts',
  'server/live/on-air.test.ts',
  'server/live/slow-viewer.test.ts',
  'server/live/writer-presence.test.ts',
  'server/restart.test.ts',
  'server/sessions.test.ts',
  'server/sockets/handshake.test.ts',
  'server/store/users.test.ts',
];
/** Beside the code, in Chromium. */
const E2E = ['server/broadcast/graphics-links.test.ts'];

/**
 * The attack tests (issue 12) assert that an honest court's acks stay under 1 s while an
 * attacker floods the server: a latency the server must hold, not one a neighbouring test
 * file may take away on two cores. They run after everything else, one file at a time.
 */
const ATTACK_GLOBS = ['test/security/**/*.test.ts'];
const INTEGRATION_GLOBS = ['test/integration/**/*.test.ts', '**/*.integration.test.ts'];
const E2E_GLOBS = ['test/e2e/**/*.test.ts', '**/*.e2e.test.{ts,tsx}'];
const FAULT_GLOBS = ['test/faults/*.test.ts'];
const ALWAYS_EXCLUDED = ['node_modules/**', 'out/**', 'test/faults/long/**'];

/**
 * Starts an embedded PostgreSQL unless SCOREDESK_TEST_DATABASE_URL is set, and builds the
 * overlay pages the servers serve when their sources changed: not for unit.
 */
const WITH_POSTGRES = { globalSetup: ['test/global-setup.ts', 'test/pages-setup.ts'] };

export default defineConfig({
  test: {
    // Integration tests start real servers and databases: generous, but bounded.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the integration tests slower and flakier.
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.{ts,tsx}'],
          exclude: [
            ...ALWAYS_EXCLUDED,
            ...INTEGRATION,
            ...E2E,
            ...INTEGRATION_GLOBS,
            ...ATTACK_GLOBS,
            ...E2E_GLOBS,
            ...FAULT_GLOBS,
          ],
          setupFiles: ['test/support/unit-guard.ts'],
          // Pure code: a unit test that needs long is waiting on something it should not.
          testTimeout: 20_000,
          // One module graph per worker, not per file: importing (zod schemas, the sport rules)
          // was most of the tier's time (38 s isolated, 19 s shared, on a busy two-core machine).
          // So a unit test leaves module state as it found it (restore what it stubs).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [...INTEGRATION, ...INTEGRATION_GLOBS],
          exclude: [...ALWAYS_EXCLUDED, ...E2E_GLOBS],
          ...WITH_POSTGRES,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: [...E2E, ...E2E_GLOBS], exclude: ALWAYS_EXCLUDED, ...WITH_POSTGRES },
      },
      {
        extends: true,
        test: { name: 'faults', include: FAULT_GLOBS, exclude: ALWAYS_EXCLUDED, ...WITH_POSTGRES },
      },
      {
        extends: true,
        test: {
          name: 'attacks',
          include: ATTACK_GLOBS,
          exclude: ALWAYS_EXCLUDED,
          ...WITH_POSTGRES,
          // After the other tiers (group 0), alone.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
    ],
  },
});

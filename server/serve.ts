/**
 * The server as a process: settings from the environment (server/config.ts), the overlay
 * pages built when their sources changed (broadcast/pages-build.ts), embedded PostgreSQL
 * when DATABASE_URL is unset, migrations, then serve until SIGTERM/SIGINT, which flush the
 * pending batch and exit 0. `npm run server` (server/main.ts) passes no options; the fault
 * tests' entry (test/support/server-with-faults.ts) passes its hooks.
 */
import { loadConfig, ConfigError } from './config.js';
import { startServer, type StartOptions } from './app.js';
import { ensurePagesBuild } from './broadcast/pages-build.js';
import { logUnhandledRejections } from './process-guards.js';

async function run(options: StartOptions): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message })}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Before listening, so no graphics machine loads half-built pages; a failed build does not
  // keep scoring down (the pages then answer 503, or the previous build is served).
  const pages = await ensurePagesBuild().then(
    (result) => ({ ...result, error: null }),
    (error: unknown) => ({ dir: null, built: false, error: error instanceof Error ? error.message : String(error) }),
  );
  const server = await startServer(config, options);
  logUnhandledRejections(server.logger);
  if (pages.error) server.logger.error({ err: pages.error }, 'the overlay pages could not be built');
  else if (pages.built) server.logger.info({ dir: pages.dir }, 'built the overlay pages and the court wall');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        server.logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Start serving; a failure to start is one fatal JSON line and exit 1. */
export function serveProcess(options: StartOptions = {}): void {
  run(options).catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', msg: 'server failed to start', err: error instanceof Error ? error.message : String(error) })}\n`,
    );
    process.exit(1);
  });
}

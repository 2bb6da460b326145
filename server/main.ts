/**
 * `npm run server`: settings from the environment (server/config.ts), embedded
 * PostgreSQL when DATABASE_URL is unset, migrations, then serve until SIGTERM/SIGINT,
 * which flush the pending batch and exit 0.
 */
import { loadConfig, ConfigError } from './config.js';
import { startServer } from './app.js';
import { logUnhandledRejections } from './process-guards.js';

async function main(): Promise<void> {
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
  const server = await startServer(config);
  logUnhandledRejections(server.logger);
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

main().catch((error: unknown) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'fatal', msg: 'server failed to start', err: error instanceof Error ? error.message : String(error) })}\n`,
  );
  process.exit(1);
});

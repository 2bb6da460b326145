/**
 * Process-wide safety net: a promise rejected where nothing awaits it (a library's
 * middleware, a forgotten `void`) is logged with pino, and the process keeps
 * serving. Node's default (since 15) kills the process, so one hostile input reaching
 * such a path would stop every court. Uncaught exceptions still end the process: after
 * a synchronous throw the state of the stack that threw is unknown.
 */
import type { Logger } from './logger.js';

let installed = false;

/** Installs the handler once per process (tests may start several servers in one). */
export function logUnhandledRejections(logger: Logger): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason: unknown) => {
    const err = reason instanceof Error ? reason.message : String(reason);
    logger.error(
      { err, stack: reason instanceof Error ? reason.stack : undefined },
      'unhandled rejection (kept running)',
    );
  });
}

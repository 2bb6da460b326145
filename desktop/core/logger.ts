/** Structured logs (pino). Credentials never go in: the password and token paths are removed. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createCoreLogger(level = process.env.SCOREDESK_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { component: 'console-core' },
    redact: { paths: ['password', 'token', '*.password', '*.token', 'auth', '*.auth'], remove: true },
  });
}

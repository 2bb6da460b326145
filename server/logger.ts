/** Structured JSON logs (pino). Secrets and tokens never go in: redact the usual suspects anyway. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, serverId: string): Logger {
  return pino({
    level,
    base: { serverId },
    redact: {
      paths: ['token', 'password', '*.token', '*.password', 'auth', '*.auth', 'headers.authorization'].concat(
        // server/security: nested request objects, cookies, query tokens, secrets and PINs.
        ['*.headers.authorization', 'headers.cookie', '*.headers.cookie', 'query.token', '*.query.token'],
        ['secret', '*.secret', 'jwtSecret', '*.jwtSecret', 'pin', '*.pin', 'passwordHash', '*.passwordHash'],
      ),
      remove: true,
    },
  });
}

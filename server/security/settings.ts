/**
 * Security knobs (limits, origins, key rotation), read from the environment once and
 * validated with zod. Every default is a named constant with the reason for its size.
 */
import { z } from 'zod';

/** Contract: at least 100 messages/s per socket. Twice that leaves room for a backlog drain. */
export const SOCKET_MESSAGES_PER_SECOND = 200;
/** Per user: a venue often shares one scorer account between all its consoles (10 x 100/s). */
export const USER_MESSAGES_PER_SECOND = 1_000;
/** Refused (RATE_LIMITED) messages within ABUSE_WINDOW_SECONDS before the socket is disconnected. */
export const RATE_LIMITED_BEFORE_DISCONNECT = 100;
/** Window in which refusals count as "sustained" abuse rather than a burst. */
export const ABUSE_WINDOW_SECONDS = 10;
/** FORBIDDEN answers within ABUSE_WINDOW_SECONDS before the socket is disconnected: a console retries a refused push a few times, an attacker many times. */
export const FORBIDDEN_BEFORE_DISCONNECT = 5;
/**
 * Contract: at least 10 live connections per user. Graphics often run many overlay pages
 * (each a /live socket) under one viewer account; 50 still stops a leaked token from
 * opening thousands.
 */
export const MAX_CONNECTIONS_PER_USER = 50;
/** Failed logins per username+IP per LOGIN_WINDOW_SECONDS before login is refused for the window. */
export const LOGIN_FAILURES_PER_WINDOW = 10;
/** Long enough that guessing is hopeless, short enough that a typo-prone operator gets back in. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/**
 * Open SSE streams (GET /api/stream) per user, on this process. A graphics setup opens a
 * few (one per page or tool); a leaked token opening a thousand held the readers' pool.
 */
export const MAX_STREAMS_PER_USER = 20;
/**
 * HTTP reads (GET /api/...) per second per user. vMix polls a data source about once a
 * second per input; 50 covers a venue's inputs under one token, not a flood.
 */
export const HTTP_READS_PER_SECOND = 50;
/** The Socket.io admin UI is a page hosted here; it connects from this origin. */
export const ADMIN_UI_ORIGIN = 'https://admin.socket.io';

export interface SecuritySettings {
  /** Browser origins (scheme://host[:port]) allowed besides the server's own. */
  allowedOrigins: string[];
  /** Verification-only JWT secrets of earlier keys, until they are retired. */
  previousJwtSecrets: string[];
  socketMessagesPerSecond: number;
  userMessagesPerSecond: number;
  rateLimitedBeforeDisconnect: number;
  forbiddenBeforeDisconnect: number;
  maxConnectionsPerUser: number;
  loginFailuresPerWindow: number;
  loginWindowSeconds: number;
  maxStreamsPerUser: number;
  httpReadsPerSecond: number;
}

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const originSchema = z.string().refine((s) => {
  // "null": pages opened from disk (e.g. CasparCG templates in its template folder); opt-in only.
  if (s === 'null') return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
  } catch {
    return false;
  }
}, 'each origin is scheme://host[:port] with no path (e.g. https://graphics.example.com) or null');

const envSchema = z.object({
  SCOREDESK_ALLOWED_ORIGINS: list.pipe(z.array(originSchema)),
  SCOREDESK_JWT_PREVIOUS_SECRETS: list.pipe(z.array(z.string().min(16, 'each secret at least 16 characters'))),
  SCOREDESK_SOCKET_RATE: z.coerce
    .number()
    .int()
    .min(100, 'the contract allows at least 100 messages/s per socket')
    .default(SOCKET_MESSAGES_PER_SECOND),
  SCOREDESK_USER_RATE: z.coerce.number().int().min(100).default(USER_MESSAGES_PER_SECOND),
  SCOREDESK_RATE_LIMITED_BEFORE_DISCONNECT: z.coerce.number().int().min(1).default(RATE_LIMITED_BEFORE_DISCONNECT),
  SCOREDESK_FORBIDDEN_BEFORE_DISCONNECT: z.coerce.number().int().min(1).default(FORBIDDEN_BEFORE_DISCONNECT),
  SCOREDESK_MAX_CONNECTIONS_PER_USER: z.coerce
    .number()
    .int()
    .min(10, 'the contract allows at least 10')
    .default(MAX_CONNECTIONS_PER_USER),
  SCOREDESK_LOGIN_FAILURES: z.coerce.number().int().min(1).default(LOGIN_FAILURES_PER_WINDOW),
  SCOREDESK_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).default(MAX_STREAMS_PER_USER),
  SCOREDESK_HTTP_READS_PER_SECOND: z.coerce.number().int().min(1).default(HTTP_READS_PER_SECOND),
});

export const DEFAULT_SECURITY: SecuritySettings = {
  allowedOrigins: [],
  previousJwtSecrets: [],
  socketMessagesPerSecond: SOCKET_MESSAGES_PER_SECOND,
  userMessagesPerSecond: USER_MESSAGES_PER_SECOND,
  rateLimitedBeforeDisconnect: RATE_LIMITED_BEFORE_DISCONNECT,
  forbiddenBeforeDisconnect: FORBIDDEN_BEFORE_DISCONNECT,
  maxConnectionsPerUser: MAX_CONNECTIONS_PER_USER,
  loginFailuresPerWindow: LOGIN_FAILURES_PER_WINDOW,
  loginWindowSeconds: LOGIN_WINDOW_SECONDS,
  maxStreamsPerUser: MAX_STREAMS_PER_USER,
  httpReadsPerSecond: HTTP_READS_PER_SECOND,
};

/** Throws with the variable's name and what is wrong. */
export function loadSecuritySettings(env: NodeJS.ProcessEnv): SecuritySettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  return {
    ...DEFAULT_SECURITY,
    allowedOrigins: e.SCOREDESK_ALLOWED_ORIGINS,
    previousJwtSecrets: e.SCOREDESK_JWT_PREVIOUS_SECRETS,
    socketMessagesPerSecond: e.SCOREDESK_SOCKET_RATE,
    userMessagesPerSecond: e.SCOREDESK_USER_RATE,
    rateLimitedBeforeDisconnect: e.SCOREDESK_RATE_LIMITED_BEFORE_DISCONNECT,
    forbiddenBeforeDisconnect: e.SCOREDESK_FORBIDDEN_BEFORE_DISCONNECT,
    maxConnectionsPerUser: e.SCOREDESK_MAX_CONNECTIONS_PER_USER,
    loginFailuresPerWindow: e.SCOREDESK_LOGIN_FAILURES,
    maxStreamsPerUser: e.SCOREDESK_MAX_STREAMS_PER_USER,
    httpReadsPerSecond: e.SCOREDESK_HTTP_READS_PER_SECOND,
  };
}

/** Defaults overlaid with whatever a caller (or a test) set. */
export function resolveSecuritySettings(partial: Partial<SecuritySettings> | undefined): SecuritySettings {
  return { ...DEFAULT_SECURITY, ...(partial ?? {}) };
}

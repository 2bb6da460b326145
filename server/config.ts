/**
 * Server settings: the contract's environment variables plus documented knobs, parsed
 * once with zod. Anything not set falls back to a default that works on a laptop.
 */
import path from 'node:path';
import { z } from 'zod';
import { LIMITS } from '../shared/protocol.js';
import { loadSecuritySettings, type SecuritySettings } from './security/settings.js';

/** The fixed batch window (not a debounce): the first event of a window is committed at most this much later. */
export const BATCH_WINDOW_MS = 100;
/** Port of the embedded PostgreSQL cluster: fixed so restarts find it; below 32768 (outgoing ports start there). */
export const EMBEDDED_PG_PORT = 15432;
/** Events waiting for a commit (open + closed windows) before pushes are refused: bounded memory while PostgreSQL is down. */
export const MAX_PENDING_EVENTS = 20_000;
/** Packets queued for one viewer socket before it counts as not reading and is dropped (bounded memory). */
export const LIVE_WRITE_BUFFER_LIMIT = 1_000;
/** A viewer catching up must take each page within this time, or it is dropped. */
export const LIVE_DRAIN_TIMEOUT_MS = 10_000;

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).optional(),
  SCOREDESK_DATA_DIR: z.string().min(1).default('./data'),
  SCOREDESK_JWT_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  SCOREDESK_ADMIN_PASSWORD: z.string().min(1).optional(),
  SCOREDESK_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(EMBEDDED_PG_PORT),
  SCOREDESK_BATCH_MS: z.coerce.number().int().min(1).max(10_000).default(BATCH_WINDOW_MS),
  SCOREDESK_MAX_PENDING_EVENTS: z.coerce.number().int().min(1).default(MAX_PENDING_EVENTS),
  SCOREDESK_ADAPTER: z.enum(['memory', 'postgres', 'redis']).default('memory'),
  SCOREDESK_REDIS_URL: z.string().min(1).optional(),
  SCOREDESK_DEBUG_SOCKETS: flag,
  SCOREDESK_ADMIN_UI_USER: z.string().min(1).optional(),
  SCOREDESK_ADMIN_UI_PASSWORD_HASH: z
    .string()
    .regex(/^\$2[aby]\$\d{2}\$/, 'a bcrypt hash ($2a$/$2b$)')
    .optional(),
  SCOREDESK_ADMIN_UI_READONLY: z.enum(['0', '1', 'true', 'false']).optional(),
  SCOREDESK_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(10)
    .default(12 * 3600),
  SCOREDESK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SCOREDESK_SERVER_ID: z.string().min(1).optional(),
  SCOREDESK_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(LIMITS.MAX_MESSAGE_BYTES),
  SCOREDESK_CONSOLE_OFFLINE_ALERT_MS: z.coerce.number().int().min(0).default(30_000),
  SCOREDESK_BACKLOG_ALERT_EVENTS: z.coerce.number().int().min(0).default(50),
  SCOREDESK_LIVE_WRITE_BUFFER_LIMIT: z.coerce.number().int().min(1).default(LIVE_WRITE_BUFFER_LIMIT),
  SCOREDESK_LIVE_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(10).default(LIVE_DRAIN_TIMEOUT_MS),
  SCOREDESK_TRUST_PROXY: z.string().optional(),
});

/**
 * Express's `trust proxy` from SCOREDESK_TRUST_PROXY: unset or empty, trust no proxy (the
 * default: X-Forwarded-* are ignored, so a client cannot claim HTTPS); `true` every hop;
 * a number the hops to trust; otherwise a comma-separated list of addresses, subnets or
 * Express's names (`loopback`, `uniquelocal`) of the proxies to trust.
 */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^[0-9]+$/.test(text)) return Number(text);
  return text;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** Unset: embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  jwtSecret?: string;
  adminPassword?: string;
  batchWindowMs: number;
  maxPendingEvents: number;
  adapter: 'memory' | 'postgres' | 'redis';
  redisUrl?: string;
  debugSockets: boolean;
  adminUi?: { username: string; passwordHash: string; readonly: boolean };
  tokenTtlSeconds: number;
  logLevel: string;
  serverId?: string;
  maxMessageBytes: number;
  consoleOfflineAlertMs: number;
  backlogAlertEvents: number;
  liveWriteBufferLimit: number;
  liveDrainTimeoutMs: number;
  /** Express `trust proxy` (parseTrustProxy): who may say, in X-Forwarded-Proto, that a request came over HTTPS. */
  trustProxy: boolean | number | string;
  /** Limits, allowed origins, JWT rotation (server/security/settings.ts); unset fields take the defaults. */
  security?: Partial<SecuritySettings>;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`bad setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  if (e.SCOREDESK_ADAPTER === 'redis' && !e.SCOREDESK_REDIS_URL) {
    throw new ConfigError('SCOREDESK_ADAPTER=redis needs SCOREDESK_REDIS_URL');
  }
  if (Boolean(e.SCOREDESK_ADMIN_UI_USER) !== Boolean(e.SCOREDESK_ADMIN_UI_PASSWORD_HASH)) {
    throw new ConfigError('the admin UI needs both SCOREDESK_ADMIN_UI_USER and SCOREDESK_ADMIN_UI_PASSWORD_HASH');
  }
  let security: SecuritySettings;
  try {
    security = loadSecuritySettings(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.SCOREDESK_DATA_DIR),
    embeddedPgPort: e.SCOREDESK_EMBEDDED_PG_PORT,
    jwtSecret: e.SCOREDESK_JWT_SECRET,
    adminPassword: e.SCOREDESK_ADMIN_PASSWORD,
    batchWindowMs: e.SCOREDESK_BATCH_MS,
    maxPendingEvents: e.SCOREDESK_MAX_PENDING_EVENTS,
    adapter: e.SCOREDESK_ADAPTER,
    redisUrl: e.SCOREDESK_REDIS_URL,
    debugSockets: e.SCOREDESK_DEBUG_SOCKETS,
    adminUi:
      e.SCOREDESK_ADMIN_UI_USER && e.SCOREDESK_ADMIN_UI_PASSWORD_HASH
        ? {
            username: e.SCOREDESK_ADMIN_UI_USER,
            passwordHash: e.SCOREDESK_ADMIN_UI_PASSWORD_HASH,
            // Read-only unless explicitly switched off: the UI can disconnect sockets.
            readonly: !(e.SCOREDESK_ADMIN_UI_READONLY === '0' || e.SCOREDESK_ADMIN_UI_READONLY === 'false'),
          }
        : undefined,
    tokenTtlSeconds: e.SCOREDESK_TOKEN_TTL_S,
    logLevel: e.SCOREDESK_LOG_LEVEL,
    serverId: e.SCOREDESK_SERVER_ID,
    maxMessageBytes: e.SCOREDESK_MAX_MESSAGE_BYTES,
    consoleOfflineAlertMs: e.SCOREDESK_CONSOLE_OFFLINE_ALERT_MS,
    backlogAlertEvents: e.SCOREDESK_BACKLOG_ALERT_EVENTS,
    liveWriteBufferLimit: e.SCOREDESK_LIVE_WRITE_BUFFER_LIMIT,
    liveDrainTimeoutMs: e.SCOREDESK_LIVE_DRAIN_TIMEOUT_MS,
    trustProxy: parseTrustProxy(e.SCOREDESK_TRUST_PROXY),
    security,
  };
}

/** Config for tests: defaults plus overrides, without reading process.env. */
export function testConfig(overrides: Partial<ServerConfig>): ServerConfig {
  return { ...loadConfig({}), port: 0, logLevel: 'silent', ...overrides };
}

/**
 * Settings of the web console host, from the environment, validated. Loopback by default;
 * binding anything else (LAN mode) requires a PIN, given or generated.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../shared/protocol.js';

/** Not 5173 (Vite's dev port) and next to the server's 3001, so the pair is easy to remember. */
export const DEFAULT_CONSOLE_PORT = 3002;
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3001';
/** 8 digits: typed once per device, and the attempt limiter makes guessing 10^8 hopeless. */
const GENERATED_PIN_DIGITS = 8;

const envSchema = z.object({
  SCOREDESK_CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  SCOREDESK_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_CONSOLE_PORT),
  SCOREDESK_CONSOLE_DATA_DIR: z.string().min(1).default('./data/console'),
  SCOREDESK_SERVER_URL: z.url().default(DEFAULT_SERVER_URL),
  SCOREDESK_CONSOLE_PIN: z
    .string()
    .regex(/^\S{4,64}$/, '4 to 64 characters, no spaces')
    .optional(),
  /** Sign-in used while the console has none stored (`npm start` creates this scorer user). */
  SCOREDESK_CONSOLE_USER: z.string().min(1).max(100).optional(),
  SCOREDESK_CONSOLE_PASSWORD: z.string().min(1).max(200).optional(),
  /** "1": rebuild the renderer on start even when a build exists. */
  SCOREDESK_CONSOLE_REBUILD: z.enum(['0', '1']).default('0'),
});

export interface HostConfig {
  host: string;
  port: number;
  dataDir: string;
  serverUrl: string;
  /** null on loopback; always set in LAN mode. */
  pin: string | null;
  pinGenerated: boolean;
  rebuild: boolean;
  credentials: { username: string; password: string } | undefined;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function generatePin(): string {
  return Array.from({ length: GENERATED_PIN_DIGITS }, () => randomInt(10)).join('');
}

export function loadHostConfig(env: NodeJS.ProcessEnv): HostConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid console host setting: ${describeZodError(parsed.error)}`);
  const e = parsed.data;
  const lan = !isLoopback(e.SCOREDESK_CONSOLE_HOST);
  const pin = e.SCOREDESK_CONSOLE_PIN ?? (lan ? generatePin() : null);
  return {
    host: e.SCOREDESK_CONSOLE_HOST,
    port: e.SCOREDESK_CONSOLE_PORT,
    dataDir: path.resolve(e.SCOREDESK_CONSOLE_DATA_DIR),
    serverUrl: e.SCOREDESK_SERVER_URL,
    pin,
    pinGenerated: lan && !e.SCOREDESK_CONSOLE_PIN,
    rebuild: e.SCOREDESK_CONSOLE_REBUILD === '1',
    credentials:
      e.SCOREDESK_CONSOLE_USER && e.SCOREDESK_CONSOLE_PASSWORD
        ? { username: e.SCOREDESK_CONSOLE_USER, password: e.SCOREDESK_CONSOLE_PASSWORD }
        : undefined,
  };
}

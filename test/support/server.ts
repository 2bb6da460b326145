/**
 * Test harness for anything that needs a real server: a fresh PostgreSQL database
 * (createTestDatabase), the server started in-process on a free loopback port, an
 * admin user, and helpers for HTTP calls and real socket.io-client connections.
 * Used by server tests and by the console, broadcast, security and fault helpers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { MatchSnapshot } from '../../shared/match.js';
import { PROTOCOL_VERSION, type Role } from '../../shared/protocol.js';
import { startServer, type RunningServer } from '../../server/app.js';
import { testConfig, type ServerConfig } from '../../server/config.js';
import { createMatch, type MatchInput } from './api-client.js';
import { createTestDatabase } from './postgres.js';
import { until } from './wait.js';

export const TEST_ADMIN_PASSWORD = 'admin-password-1';

export interface TestServer extends RunningServer {
  adminToken: string;
  jwtSecret: string;
  http<T = any>(method: string, urlPath: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  login(username: string, password: string): Promise<string>;
  /** Creates a user and returns its token. */
  userToken(role: Role, courts?: string[], username?: string): Promise<string>;
  /** api-client.ts createMatch, as this server's admin. */
  createMatch(input?: MatchInput): Promise<MatchSnapshot>;
  /** Closes the server (flushes) and drops the database. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  /** Reuse an existing database (restart tests) instead of creating one. */
  databaseUrl?: string;
  keepDatabase?: boolean;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => {} }
    : await createTestDatabase('server');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'scoredesk-server-'));
  const jwtSecret = options.config?.jwtSecret ?? randomBytes(32).toString('hex');
  const server = await startServer(
    testConfig({ databaseUrl: db.url, dataDir, jwtSecret, adminPassword: TEST_ADMIN_PASSWORD, ...options.config }),
  );
  const http = async (method: string, urlPath: string, body?: unknown, token?: string) => {
    const res = await fetch(server.url + urlPath, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed as any };
  };
  const login = async (username: string, password: string) => {
    const res = await http('POST', '/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const adminToken = await login('admin', TEST_ADMIN_PASSWORD);
  let users = 0;
  return {
    ...server,
    adminToken,
    jwtSecret,
    http,
    login,
    async userToken(role, courts, username) {
      const name = username ?? `${role}${++users}_${randomBytes(3).toString('hex')}`;
      const res = await http(
        'POST',
        '/api/users',
        { username: name, password: 'password-123', role, courts },
        adminToken,
      );
      if (res.status !== 201) throw new Error(`create user: ${res.status} ${JSON.stringify(res.body)}`);
      return login(name, 'password-123');
    },
    createMatch: (input = {}) => createMatch(server.url, adminToken, input),
    async stop() {
      await server.close();
      if (!options.keepDatabase) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ConnectOptions {
  consoleId?: string;
  protocol?: number;
  /** socket.io-client reconnection (off by default: tests decide). */
  reconnection?: boolean;
}

/** Connects to a namespace; rejects with the connect_error message (the error code). */
export function connectSocket(
  url: string,
  nsp: '/console' | '/live',
  token: string | undefined,
  options: ConnectOptions = {},
): Promise<Socket> {
  const socket = connect(url + nsp, {
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    auth: {
      token,
      protocol: options.protocol ?? PROTOCOL_VERSION,
      ...(nsp === '/console' ? { consoleId: options.consoleId ?? randomUUID() } : {}),
    },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits with an ack and a timeout. */
export function request<T = any>(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

let at = Date.parse('2026-11-28T10:00:00.000Z');
/** Generic-sport events with increasing `at`: SCORE_UPDATE for alternate sides. */
export function scoreEvents(fromSeq: number, count: number, side: 'home' | 'away' = 'home') {
  return Array.from({ length: count }, (_, i) => ({
    seq: fromSeq + i,
    type: 'SCORE_UPDATE' as const,
    payload: { side },
    at: new Date((at += 10)).toISOString(),
  }));
}

export function startEvent(seq = 1) {
  return { seq, type: 'MATCH_START' as const, payload: {}, at: new Date((at += 10)).toISOString() };
}

/** Collects MATCH_UPDATEs of a live socket. */
export function recordUpdates(socket: Socket) {
  const updates: any[] = [];
  socket.on('MATCH_UPDATE', (u: any) => updates.push(u));
  return {
    updates,
    events: () => updates.flatMap((u) => u.events),
    waitForSeq: (matchId: string, seq: number, timeoutMs?: number) =>
      until(
        () => updates.some((u) => u.matchId === matchId && u.events.some((e: any) => e.seq >= seq)),
        `an update with seq ${seq} for ${matchId}`,
        timeoutMs,
      ),
  };
}

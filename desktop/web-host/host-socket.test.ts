/**
 * The web console host over real sockets with a real console core (SQLite in a temporary
 * folder): the PIN gate in LAN mode, the same-origin and Host checks, and the command gate.
 */
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleCore } from '../core/index.js';
import type { ConsoleView } from '../contract/api.js';
import type { CommandResult } from '../contract/commands.js';
import { HOST_PIN_REQUIRED, type HostClientToServer, type HostServerToClient } from '../contract/channels.js';
import { createSocketConsoleApi, type HostLinkState } from '../renderer/src/api/socket-console-api.js';
import { startConsoleHost, type ConsoleHost } from './host.js';

const PIN = 'court-7-4711';
const CONNECT_TIMEOUT_MS = 5_000;

type HostSocket = Socket<HostServerToClient, HostClientToServer>;

let dir: string;
let core: Awaited<ReturnType<typeof createConsoleCore>>;
let lan: ConsoleHost;
let loopback: ConsoleHost;
const sockets: HostSocket[] = [];

function open(url: string, options: { pin?: string; origin?: string } = {}): HostSocket {
  const socket: HostSocket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
    auth: options.pin === undefined ? {} : { pin: options.pin },
    extraHeaders: options.origin ? { origin: options.origin } : {},
  });
  sockets.push(socket);
  return socket;
}

/** Resolves with 'connected' or the connect_error message. */
function outcome(socket: HostSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-host-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  core = await createConsoleCore({ dataDir: path.join(dir, 'console'), serverUrl: 'http://127.0.0.1:9' });
  const log = pino({ level: 'silent' });
  lan = await startConsoleHost({ core, rendererDir, host: '0.0.0.0', port: 0, pin: PIN, log });
  loopback = await startConsoleHost({ core, rendererDir, host: '127.0.0.1', port: 0, pin: null, log });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await lan?.close();
  await loopback?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web console host over sockets', () => {
  it('refuses LAN sockets without the right PIN and locks out guessing', async () => {
    expect(await outcome(open(lan.url))).toBe(HOST_PIN_REQUIRED);
    expect(await outcome(open(lan.url, { pin: 'wrong' }))).toBe(HOST_PIN_REQUIRED);
    const results: string[] = [];
    for (let i = 0; i < 10; i++) results.push(await outcome(open(lan.url, { pin: `guess-${i}` })));
    expect(results).toContain('RATE_LIMITED');
  });

  it('refuses sockets from another origin, even on loopback', async () => {
    const result = await outcome(open(loopback.url, { origin: 'https://evil.example' }));
    expect(result).not.toBe('connected');
  });

  it('serves the view and validates every command before the core sees it', async () => {
    const socket = open(loopback.url);
    expect(await outcome(socket)).toBe('connected');
    const view: ConsoleView = await socket.emitWithAck('console:view');
    expect(view.info.consoleId).toMatch(/^[0-9a-f-]{36}$/);

    const bad: CommandResult = await socket.emitWithAck('console:run', 'score', { side: 'middle' });
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' });
    if (!bad.ok) expect(bad.message).toContain('side');
    const unknown: CommandResult = await socket.emitWithAck('console:run', 'dropDatabase' as never, {});
    expect(unknown).toMatchObject({ ok: false, code: 'VALIDATION' });

    const pushed = new Promise<ConsoleView>((resolve) => {
      socket.on('console:view:push', (next) => {
        if (next.info.court === 'Centre <court>') resolve(next);
      });
    });
    const ok: CommandResult = await socket.emitWithAck('console:run', 'setCourt', { court: 'Centre <court>' });
    expect(ok.ok).toBe(true);
    expect((await pushed).info.court).toBe('Centre <court>');
  });

  it('serves the screen with security headers, and refuses foreign Host names on loopback', async () => {
    const page = await fetch(loopback.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // fetch() may not set Host; a raw request can, as a rebinding attacker's browser would.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.get(loopback.url, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    expect(status).toBe(403);
  });
  it('the screen adapter refuses commands while the host is away instead of queueing them', async () => {
    const log = pino({ level: 'silent' });
    const rendererDir = path.join(dir, 'renderer');
    let host = await startConsoleHost({ core, rendererDir, host: '127.0.0.1', port: 0, pin: null, log });
    const port = host.port;
    const adapter = createSocketConsoleApi({ url: host.url });
    const reached = (want: HostLinkState) =>
      new Promise<void>((resolve) => {
        if (adapter.linkState() === want) return resolve();
        const off = adapter.onLinkState((state) => {
          if (state === want) {
            off();
            resolve();
          }
        });
      });
    try {
      await reached('open');
      expect(await adapter.run('setCourt', { court: 'Court while open' })).toEqual({ ok: true });

      await host.close();
      await reached('closed');
      // The host comes back before any ack timeout: a queued command would be delivered now.
      const refused = adapter.run('setCourt', { court: 'Court typed while away' });
      host = await startConsoleHost({ core, rendererDir, host: '127.0.0.1', port, pin: null, log });
      await reached('open');
      expect(await refused).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
      const view = await adapter.view();
      expect(view.info.court).toBe('Court while open');
      expect((await core.view()).info.court).toBe('Court while open');
    } finally {
      adapter.close();
      await host.close();
    }
  });
});

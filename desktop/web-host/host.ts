/**
 * The web console host: serves the built operator screen and relays the ConsoleApi of an
 * in-process console core over a local Socket.io (same events as the Electron IPC bridge).
 *
 * Loopback by default. In LAN mode every socket must present the PIN in its handshake, with a
 * limiter on failed attempts. In both modes the socket's Origin must be this host (a web page
 * elsewhere in the operator's browser must not drive the console), and on loopback the Host
 * header must be a loopback name (DNS rebinding).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server } from 'socket.io';
import type { ConsoleBackend, ConsoleView } from '../contract/api.js';
import {
  BRIDGE_CHANNELS,
  HOST_PIN_REQUIRED,
  type HostClientToServer,
  type HostServerToClient,
} from '../contract/channels.js';
import { bridgeAnswers } from '../contract/serve.js';
import { LIMITS } from '../../shared/protocol.js';
import { isLoopback } from './config.js';

/** Wrong PINs allowed per address per window before it is locked out for the window. */
const PIN_ATTEMPTS_PER_WINDOW = 10;
const PIN_WINDOW_SECONDS = 60;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export interface ConsoleHostOptions {
  core: ConsoleBackend;
  rendererDir: string;
  host: string;
  port: number;
  pin: string | null;
  log: Logger;
}

export interface ConsoleHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time PIN check (hash first so lengths never leak). */
export function pinMatches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(expected), digest(given));
}

function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/** Same-origin (or a non-browser client without Origin) and, on loopback, a loopback Host. */
export function requestAllowed(req: Pick<IncomingMessage, 'headers'>, loopbackOnly: boolean): boolean {
  const host = req.headers.host;
  if (loopbackOnly) {
    const name = hostnameOf(host);
    if (!name || !isLoopback(name)) return false;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

type HostIo = Server<HostClientToServer, HostServerToClient>;

/** The built screen, behind the Host check and the security headers. */
function screenApp(rendererDir: string, loopbackOnly: boolean): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    if (!requestAllowed({ headers: { host: req.headers.host } }, loopbackOnly)) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'unexpected Host header' } });
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    next();
  });
  app.use(express.static(rendererDir, { index: 'index.html', maxAge: 0 }));
  return app;
}

/** LAN mode: every socket presents the PIN in its handshake; wrong guesses are limited per address. */
function requirePin(io: HostIo, pin: string | null, log: Logger): void {
  const pinLimiter = new RateLimiterMemory({ points: PIN_ATTEMPTS_PER_WINDOW, duration: PIN_WINDOW_SECONDS });
  io.use((socket, next) => {
    if (!pin) return next();
    const address = socket.handshake.address;
    const given = (socket.handshake.auth as { pin?: unknown } | undefined)?.pin;
    if (pinMatches(pin, given)) return next();
    pinLimiter
      .consume(address)
      .then(() => next(new Error(HOST_PIN_REQUIRED)))
      .catch(() => {
        log.warn({ address }, 'console host: too many wrong PINs');
        next(new Error('RATE_LIMITED'));
      });
  });
}

/** The bridge's requests (desktop/contract/channels.ts) answered per socket, and every new view pushed to all. */
function serveBridge(io: HostIo, core: ConsoleBackend, log: Logger): () => void {
  const answers = bridgeAnswers(core);
  io.on('connection', (socket) => {
    log.info({ address: socket.handshake.address }, 'console host: screen connected');
    socket.on(BRIDGE_CHANNELS.run, (command, args, ack) => {
      if (typeof ack !== 'function') return;
      void answers.run(command, args).then(ack);
    });
    socket.on(BRIDGE_CHANNELS.view, (ack) => {
      if (typeof ack !== 'function') return;
      void answers.view().then(ack, (error: unknown) => log.error({ err: error }, 'console host: view failed'));
    });
    // The screen's time:sync against the core (it may run on another machine of the LAN).
    socket.on(BRIDGE_CHANNELS.serverTime, (ack) => {
      if (typeof ack !== 'function') return;
      void answers.serverTime().then(ack, (error: unknown) => log.error({ err: error }, 'console host: time failed'));
    });
  });
  return core.subscribe((view: ConsoleView) => {
    io.emit(BRIDGE_CHANNELS.viewPush, view);
  });
}

export async function startConsoleHost(options: ConsoleHostOptions): Promise<ConsoleHost> {
  const { core, rendererDir, pin, log } = options;
  const loopbackOnly = isLoopback(options.host);
  if (!loopbackOnly && !pin) throw new Error('LAN mode needs a PIN (SCOREDESK_CONSOLE_PIN)');

  const server = http.createServer(screenApp(rendererDir, loopbackOnly));
  const io: HostIo = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: LIMITS.MAX_MESSAGE_BYTES,
    allowRequest: (req, callback) => callback(null, requestAllowed(req, loopbackOnly)),
  });
  requirePin(io, pin, log);
  const unsubscribe = serveBridge(io, core, log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;

  return {
    url,
    port,
    close: async () => {
      unsubscribe();
      // Close the transports (not a server-side disconnect): screens then reconnect by
      // themselves when the host comes back.
      // The callback runs once the HTTP server is closed too (io.close's promise comes earlier).
      await new Promise<void>((resolve, reject) => {
        io.close(() => resolve()).catch(reject);
      });
      server.closeAllConnections();
    },
  };
}

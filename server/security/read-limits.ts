/**
 * Limits on HTTP reads (GET /api/...) and Server-Sent Event streams (GET /api/stream),
 * so that no reader, however many requests it sends, can hold the database connections
 * the others need (1,000 concurrent streams on one viewer token once took the whole pool:
 * 950 answered 500, other courts' pushes were late, /healthz said 503).
 *
 * - per user (a graphics link counts under its label): open streams
 *   (`maxStreamsPerUser`) and reads per second (`httpReadsPerSecond`); past either: 429
 *   RATE_LIMITED with Retry-After;
 * - per process: at most `slots` reads use the database at once (the readers' pool
 *   size); the others wait in a bounded queue for a bounded time; past that: 503
 *   UNAVAILABLE ("server busy") with Retry-After, at once, before any query. A slot is
 *   taken until the response's headers go out (a stream: once its first read is done);
 * - per process: at most MAX_STREAMS_PER_PROCESS open streams (503 past it).
 *
 * Every refusal names what happened and goes out in the route's own format (JSON, or
 * XML / CSV for those feeds). The batch writer has its own pool (server/app.ts), so
 * none of this is needed to protect commits; it keeps reads answering with a code.
 */
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { TokenService } from '../auth/tokens.js';
import { sendErrorAs } from '../broadcast/feed-errors.js';
import type { Logger } from '../logger.js';
import { routePath } from './route-path.js';
import type { SecurityMetrics } from './security-metrics.js';

/** Reads queued for a slot before new ones are refused at once: bounded memory, a fast answer. */
export const READ_QUEUE_MAX = 200;
/** A read waits at most this long for a slot (below pg's connect timeout, so the answer is ours). */
export const READ_WAIT_MS = 1_500;
/** Open streams on one process, all users: each holds listeners and a little memory per match. */
export const MAX_STREAMS_PER_PROCESS = 2_000;
/** What a refused client is told to wait (seconds). */
const RETRY_AFTER_S = 1;
/** Warnings about refusals at most this often (a flood must not flood the log). */
const WARN_EVERY_MS = 10_000;
/**
 * Who a token is, for the limits' keys only (the route still verifies it): remembered
 * this long, so a flood repeating one token costs one signature check, not one per
 * request (the checks were most of the server's CPU under a 1,000-request burst).
 */
const IDENTITY_TTL_MS = 10_000;
/** Tokens remembered at once (bounded memory under a flood of made-up tokens). */
const IDENTITY_CACHE_MAX = 10_000;

export interface ReadLimitSettings {
  maxStreamsPerUser: number;
  httpReadsPerSecond: number;
  /** Reads using the database at once (the readers' pool size). */
  slots: number;
}

/** A counting semaphore with a bounded, time-limited queue. */
export class ReadSlots {
  private used = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly slots: number,
    private readonly queueMax = READ_QUEUE_MAX,
    private readonly waitMs = READ_WAIT_MS,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** Resolves with a release function, or null when the queue is full or the wait ran out. */
  acquire(): Promise<(() => void) | null> {
    if (this.used < this.slots) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueMax) return Promise.resolve(null);
    return new Promise((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve(null);
        }, this.waitMs),
      };
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next.grant(); // the slot passes on: `used` stays
      else this.used--;
    };
  }
}

function bearerOrQuery(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1];
  const query = req.query.token;
  return typeof query === 'string' && query ? query : undefined;
}

type Kind = 'stream' | 'read' | 'none';

interface LimitedUser {
  id: number;
  username: string;
}

function kindOf(req: Request): Kind {
  if (req.method !== 'GET' && req.method !== 'HEAD') return 'none';
  const path = routePath(req.path);
  if (path === '/api/stream') return 'stream';
  return path.startsWith('/api/') ? 'read' : 'none';
}

/** Releases `release` when the response's headers go out (the reads are done) or the client leaves. */
function releaseOnHeaders(res: Response, release: () => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    release();
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as typeof res.writeHead;
  res.once('close', release);
}

export function readLimits(
  settings: ReadLimitSettings,
  tokens: () => TokenService | undefined,
  logger: Logger,
  metrics: SecurityMetrics,
): RequestHandler {
  const slots = new ReadSlots(settings.slots);
  const rate = new RateLimiterMemory({ keyPrefix: 'http-read', points: settings.httpReadsPerSecond, duration: 1 });
  const streams = new Map<number, number>();
  let streamsOpen = 0;
  let lastWarn = 0;
  const identities = new Map<string, { user: LimitedUser | null; until: number }>();
  const identify = async (token: string | undefined): Promise<LimitedUser | null> => {
    if (!token) return null;
    const now = Date.now();
    const known = identities.get(token);
    if (known && known.until > now) return known.user;
    const verified = await tokens()
      ?.verify(token)
      .catch(() => null);
    const user = verified ? { id: verified.user.id, username: verified.user.username } : null;
    identities.delete(token);
    if (identities.size >= IDENTITY_CACHE_MAX) identities.delete(identities.keys().next().value!);
    identities.set(token, { user, until: now + IDENTITY_TTL_MS });
    return user;
  };
  const refuse = (res: Response, status: 429 | 503, message: string, context: object) => {
    const code = status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE';
    metrics.refusals.inc({ code });
    const now = Date.now();
    if (now - lastWarn > WARN_EVERY_MS) {
      lastWarn = now;
      logger.warn({ ...context, code }, `security: read refused (${message})`);
    }
    res.setHeader('Retry-After', String(RETRY_AFTER_S));
    sendErrorAs(res, status, code, message);
  };

  return (req, res, next) => {
    const kind = kindOf(req);
    if (kind === 'none') return next();
    void (async () => {
      // The user, for the per-user limits; an unverifiable token is refused by the route itself.
      const user = await identify(bearerOrQuery(req));
      if (user) {
        try {
          await rate.consume(String(user.id));
        } catch {
          return refuse(res, 429, `reads: at most ${settings.httpReadsPerSecond} requests a second per user`, {
            user: user.username,
          });
        }
      }
      if (kind === 'stream') {
        const open = user ? (streams.get(user.id) ?? 0) : 0;
        if (user && open >= settings.maxStreamsPerUser)
          return refuse(res, 429, `streams: at most ${settings.maxStreamsPerUser} open streams per user`, {
            user: user.username,
          });
        if (streamsOpen >= MAX_STREAMS_PER_PROCESS)
          return refuse(res, 503, `server busy: ${MAX_STREAMS_PER_PROCESS} streams open; retry later`, {});
        streamsOpen++;
        if (user) streams.set(user.id, open + 1);
        res.once('close', () => {
          streamsOpen--;
          if (!user) return;
          const left = (streams.get(user.id) ?? 1) - 1;
          if (left > 0) streams.set(user.id, left);
          else streams.delete(user.id);
        });
      }
      const release = await slots.acquire();
      if (!release) return refuse(res, 503, 'server busy: too many reads waiting; retry in a second', {});
      if (res.writableEnded || req.socket.destroyed) return release(); // the client gave up while it waited
      releaseOnHeaders(res, release);
      next();
    })().catch(next);
  };
}

/**
 * Every inbound Socket.io message passes here before its handler (socket.use):
 * 1. unknown event names are answered VALIDATION (nothing runs);
 * 2. per-socket and per-user rate limits answer RATE_LIMITED; sustained abuse
 *    (RATE_LIMITED many times in a window) ends the session and disconnects;
 * 3. FORBIDDEN answers from the handlers are logged and counted; repeated attempts
 *    end the session and disconnect.
 * The guide limited HTTP requests with express-rate-limit; socket messages were never limited.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';
import type { ErrorBody, ErrorCode } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import type { SocketData } from '../sockets/handshake.js';
import { ABUSE_WINDOW_SECONDS, type SecuritySettings } from './settings.js';
import type { SecurityMetrics } from './security-metrics.js';
import type { UserRate } from './user-rate.js';

/** Rate limits count over one-second windows: the contract speaks of messages per second. */
const RATE_WINDOW_SECONDS = 1;
/**
 * After a flood ends a session, the user's new connections to this process are refused this
 * long: a flooder that reconnects at once costs one burst per cool-down instead of one per
 * reconnect; a buggy console recovers by itself (its reconnect backoff outlasts it).
 */
export const ABUSE_COOLDOWN_MS = 10_000;

/**
 * Tighter per-socket limits for events that fan out: every presence report is a PostgreSQL
 * upsert and a PRESENCE message to every court-wall viewer. A console reports at most once a
 * second plus its 2 s heartbeat (desktop/core), so 5/s never touches an honest one.
 */
export const EVENT_RATES: Record<string, number> = {
  'presence:report': 5,
  // A client sends TIME_SYNC_BURST (4) exchanges one after another on connect, then one
  // every 30 s: 10/s leaves room for a reconnect and stops a client using it as a ping flood.
  'time:sync': 10,
};

/** Events that write; on a read-only namespace they are FORBIDDEN rather than unknown. */
const WRITE_EVENTS = new Set(['events:push', 'match:claim']);

export interface MessageGuard {
  attach(socket: Socket<any, any, any, SocketData>): void;
  /** Handshake middleware (after the token check): a user cut off for flooding waits out the cool-down. */
  admit(socket: Socket<any, any, any, SocketData>, next: (err?: Error) => void): void;
}

export interface MessageGuardDeps {
  settings: SecuritySettings;
  /** Per-user limit, shared between server processes when there are several. */
  userRate: UserRate;
  logger: Logger;
  metrics: SecurityMetrics;
}

type Ack = (res: { ok: false; code: ErrorCode; message: string }) => void;

export function createMessageGuard(deps: MessageGuardDeps): MessageGuard {
  const { settings, logger, metrics } = deps;
  const socketLimiter = new RateLimiterMemory({
    keyPrefix: 'sock',
    points: settings.socketMessagesPerSecond,
    duration: RATE_WINDOW_SECONDS,
  });
  const rateStrikes = new RateLimiterMemory({
    keyPrefix: 'rl-strike',
    points: settings.rateLimitedBeforeDisconnect,
    duration: ABUSE_WINDOW_SECONDS,
  });
  const forbiddenStrikes = new RateLimiterMemory({
    keyPrefix: 'fb-strike',
    points: settings.forbiddenBeforeDisconnect,
    duration: ABUSE_WINDOW_SECONDS,
  });

  /** True when the message may pass. A store that cannot be reached lets it pass: storage refusals follow anyway. */
  async function withinRate(socket: Socket<any, any, any, SocketData>): Promise<boolean> {
    try {
      await socketLimiter.consume(socket.id);
    } catch {
      return false; // memory store: only ever a RateLimiterRes
    }
    try {
      return await deps.userRate.allow(String(socket.data.user.id));
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'security: rate limit store failed; message let through');
      return true;
    }
  }

  function endSession(socket: Socket<any, any, any, SocketData>, body: ErrorBody, why: string): void {
    if (!socket.connected) return;
    metrics.disconnects.inc({ reason: why });
    logger.warn(
      { nsp: socket.nsp.name, socket: socket.id, user: socket.data.user?.username, why },
      'security: session ended',
    );
    socket.emit('session:end', body);
    socket.disconnect(true);
  }

  async function strike(limiter: RateLimiterMemory, socket: Socket<any, any, any, SocketData>): Promise<boolean> {
    try {
      await limiter.consume(socket.id);
      return false;
    } catch {
      return true;
    }
  }

  const eventLimiters = new Map(
    Object.entries(EVENT_RATES).map(([event, points]) => [
      event,
      new RateLimiterMemory({ keyPrefix: `ev-${event}`, points, duration: RATE_WINDOW_SECONDS }),
    ]),
  );
  async function withinEventRate(socket: Socket<any, any, any, SocketData>, event: string): Promise<boolean> {
    const limiter = eventLimiters.get(event);
    if (!limiter) return true;
    try {
      await limiter.consume(socket.id);
      return true;
    } catch {
      return false;
    }
  }

  /** Users cut off for flooding, until when (this process). */
  const cooledDownUntil = new Map<number, number>();

  return {
    admit(socket, next) {
      const until = cooledDownUntil.get(socket.data.user.id);
      if (until === undefined) return next();
      const left = until - Date.now();
      if (left <= 0) {
        cooledDownUntil.delete(socket.data.user.id);
        return next();
      }
      metrics.refusals.inc({ code: 'RATE_LIMITED' });
      const error = new Error('RATE_LIMITED') as Error & { data?: unknown };
      error.data = { code: 'RATE_LIMITED', message: `cut off for flooding; retry in ${Math.ceil(left / 1000)} s` };
      next(error);
    },
    attach(socket) {
      const user = socket.data.user;
      socket.on('disconnect', () => {
        void socketLimiter.delete(socket.id);
        for (const limiter of eventLimiters.values()) void limiter.delete(socket.id);
        void rateStrikes.delete(socket.id);
        void forbiddenStrikes.delete(socket.id);
      });
      // Checks may wait on a shared store: chain them so messages keep their order.
      let chain: Promise<void> = Promise.resolve();
      socket.use((packet, next) => {
        const event = packet[0];
        const last = packet[packet.length - 1];
        const ack: Ack | undefined = typeof last === 'function' ? (last as Ack) : undefined;
        const refuse = (code: ErrorCode, message: string) => ack?.({ ok: false, code, message });

        chain = chain.then(async () => {
          if (!(await withinRate(socket))) {
            metrics.refusals.inc({ code: 'RATE_LIMITED' });
            refuse(
              'RATE_LIMITED',
              `more than ${settings.socketMessagesPerSecond} messages/s on this connection (or ${settings.userMessagesPerSecond}/s for this user); slow down`,
            );
            if (await strike(rateStrikes, socket)) {
              cooledDownUntil.set(user.id, Date.now() + ABUSE_COOLDOWN_MS);
              endSession(socket, { code: 'RATE_LIMITED', message: 'sustained message flood; disconnected' }, 'rate');
            }
            return;
          }
          if (typeof event === 'string' && !(await withinEventRate(socket, event))) {
            metrics.refusals.inc({ code: 'RATE_LIMITED' });
            refuse('RATE_LIMITED', `${event}: at most ${EVENT_RATES[event]} per second`);
            return;
          }
          if (typeof event !== 'string' || socket.listenerCount(event) === 0) {
            const name = typeof event === 'string' ? event.slice(0, 64) : typeof event;
            if (typeof event === 'string' && WRITE_EVENTS.has(event)) {
              metrics.refusals.inc({ code: 'FORBIDDEN' });
              logger.warn(
                { nsp: socket.nsp.name, user: user.username, event: name },
                'security: write on a read-only namespace refused',
              );
              refuse(
                'FORBIDDEN',
                `${socket.nsp.name} is read-only; writes go to /console with a scorer or admin token`,
              );
              if (await strike(forbiddenStrikes, socket))
                endSession(socket, { code: 'FORBIDDEN', message: 'repeated forbidden writes' }, 'forbidden');
              return;
            }
            metrics.refusals.inc({ code: 'VALIDATION' });
            refuse('VALIDATION', `event: unknown event name '${name}' on ${socket.nsp.name}`);
            return;
          }
          if (ack) {
            // Watch the handler's answer: FORBIDDEN is logged and counted toward a disconnect.
            packet[packet.length - 1] = (res: unknown) => {
              ack(res as never);
              if ((res as { code?: unknown } | null)?.code === 'FORBIDDEN') {
                metrics.refusals.inc({ code: 'FORBIDDEN' });
                logger.warn(
                  { nsp: socket.nsp.name, user: user.username, event, message: (res as ErrorBody).message },
                  'security: forbidden write refused',
                );
                void strike(forbiddenStrikes, socket).then((over) => {
                  if (over)
                    endSession(socket, { code: 'FORBIDDEN', message: 'repeated forbidden writes' }, 'forbidden');
                });
              }
            };
          }
          next();
        });
      });
    },
  };
}

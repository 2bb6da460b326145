/**
 * GET /api/stream?court=C: Server-Sent Events for simple clients. At once one
 * `snapshot` event per match (of that court, or of all courts), then one per change.
 * Each event's data is the match snapshot plus its `freshness`; clients may drop any
 * snapshot whose `cursor` is not above the last one they hold for that match.
 *
 * A client that does not read keeps at most one pending snapshot per match (the
 * latest): memory stays bounded however slow it is.
 */
import type { Request, Response } from 'express';
import type { MatchSnapshot } from '../../shared/match.js';
import { courtSchema } from '../../shared/match.js';
import type { ConsolePresence, Freshness } from '../../shared/protocol.js';
import { describeZodError } from '../../shared/protocol.js';
import type { BroadcastDeps } from './deps.js';
import { sendError, sendFailure } from './http-auth.js';

/** Comment lines keep proxies and idle timeouts from closing a quiet stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after a drop. */
const SSE_RETRY_MS = 2_000;

export function sseEvent(event: string, data: unknown): string {
  // JSON.stringify never emits raw line breaks, so the data fits one `data:` line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Writes to one response; while the socket is full, keeps only the latest text per key. */
export class BoundedWriter {
  private waiting = false;
  private readonly pending = new Map<string, string>();

  constructor(private readonly res: Pick<Response, 'write' | 'on'>) {
    res.on('drain', () => this.flush());
  }

  send(key: string, text: string): void {
    if (this.waiting) {
      this.pending.delete(key); // re-insert so the map keeps change order
      this.pending.set(key, text);
      return;
    }
    if (!this.res.write(text)) this.waiting = true;
  }

  heartbeat(): void {
    if (!this.waiting) this.res.write(': heartbeat\n\n');
  }

  private flush(): void {
    this.waiting = false;
    for (const [key, text] of this.pending) {
      this.pending.delete(key);
      if (!this.res.write(text)) {
        this.waiting = true;
        return;
      }
    }
  }
}

export interface StreamOptions {
  heartbeatMs?: number;
}

type Held = { snapshot: MatchSnapshot; freshness: Freshness | null };

export function streamHandler(deps: BroadcastDeps, options: StreamOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? SSE_HEARTBEAT_MS;
  return async (req: Request, res: Response): Promise<void> => {
    let court: string | undefined;
    if (req.query.court !== undefined) {
      const parsed = courtSchema.safeParse(req.query.court);
      if (!parsed.success) return sendError(res, 'VALIDATION', `court: ${describeZodError(parsed.error)}`);
      court = parsed.data;
    }

    const held = new Map<string, Held>(); // what this client was last sent, per match
    let writer: BoundedWriter | null = null;
    const send = (snapshot: MatchSnapshot, freshness: Freshness | null) => {
      held.set(snapshot.id, { snapshot, freshness });
      writer?.send(snapshot.id, sseEvent('snapshot', { ...snapshot, freshness }));
    };
    /** A newer snapshot of a match of our court(s): sent; an older or equal one: dropped. */
    const offer = (snapshot: MatchSnapshot, freshness: Freshness | null) => {
      if (court !== undefined && snapshot.court !== court) return;
      const last = held.get(snapshot.id);
      if (last && last.snapshot.cursor >= snapshot.cursor) return;
      send(snapshot, freshness);
    };
    /** A console came or went: the freshness of the matches it writes (and reported) changed without a new event. */
    const presenceChanged = (presence: ConsolePresence, fed: readonly string[] = []) => {
      for (const matchId of new Set([...fed, ...(presence.matchId ? [presence.matchId] : [])])) {
        const last = held.get(matchId);
        if (!last || (last.freshness?.consoleOnline ?? false) === presence.online) continue;
        const base = last.freshness ?? { lastEventAt: null, lastStoredAt: null, consoleOnline: false };
        send(last.snapshot, { ...base, consoleOnline: presence.online });
      }
    };

    // Listen before reading the snapshots, so nothing committed in between is lost;
    // what arrives meanwhile is replayed after them (offer drops what is not newer).
    let early: (() => void)[] | null = [];
    const later = (action: () => void) => (early ? early.push(action) : action());
    const unsubscribers = [
      deps.onUpdate((update) => later(() => offer(update.snapshot, update.freshness))),
      deps.onPresence((presence, fed) => later(() => presenceChanged(presence, fed))),
    ];
    if (deps.onMatch) {
      unsubscribers.push(
        deps.onMatch((snapshot) =>
          later(() => {
            if (court !== undefined && snapshot.court !== court) return;
            void deps.freshness(snapshot.id).then(
              (freshness) => offer(snapshot, freshness),
              () => offer(snapshot, null),
            );
          }),
        ),
      );
    }
    const stop = () => unsubscribers.forEach((unsubscribe) => unsubscribe());

    let snapshots: MatchSnapshot[];
    let freshness: (Freshness | null)[];
    try {
      snapshots = (await deps.listSnapshots(court ? { court } : undefined)).filter((s) => !court || s.court === court);
      freshness = await Promise.all(snapshots.map((s) => deps.freshness(s.id)));
    } catch (error) {
      stop();
      return sendFailure(res, error);
    }

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    writer = new BoundedWriter(res);
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    snapshots.forEach((snapshot, i) => offer(snapshot, freshness[i] ?? null));
    const backlog = early;
    early = null;
    for (const action of backlog) action();

    const heartbeat = setInterval(() => writer?.heartbeat(), heartbeatMs);
    res.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  };
}

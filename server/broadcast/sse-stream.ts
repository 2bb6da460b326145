/**
 * GET /api/stream?court=C: Server-Sent Events for simple clients. At once one
 * `snapshot` event per match (of that court, of a comma-separated list of courts, or of
 * all courts), then one per change.
 * Each event's data is the match snapshot plus its `freshness` and `display` (what a
 * scoreboard shows, shared/display, as of the moment it is written); clients may drop any
 * snapshot whose `cursor` is not above the last one they hold for that match.
 *
 * Resumable (contract v1.1): every event has an `id:`, the cursor it brings the client
 * to. The stream's position is one global cursor P: the client holds every event of the
 * followed matches with cursor <= P and none above. Changes are written in cursor order,
 * one `snapshot` event (with `events` and `baseCursor`) per run of consecutive events of
 * one match, so a reconnect with `Last-Event-ID: P` gets exactly the events after P, none
 * twice. Live updates (at most one per match per broadcast window) go on air per match,
 * so across matches they may arrive out of cursor order: the stream never writes past a
 * hole in the (gapless) cursor sequence it has seen on air; it reads the range from
 * PostgreSQL instead, where everything up to a visible cursor is visible.
 *
 * A client that does not read keeps at most one pending event per match (the latest):
 * memory stays bounded however slow it is (it then skips intermediate events of a match,
 * never a snapshot state; its ids stay valid positions).
 */
import type { Request, Response } from 'express';
import type { StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { scoreboardView, type ScoreboardView } from '../../shared/display/index.js';
import type { ConsolePresence, Freshness, MatchUpdate } from '../../shared/protocol.js';
import { LIMITS } from '../../shared/protocol.js';
import type { Assert } from '../../shared/protocol/common.js';
import type { SseFreshness, SseResync, SseSnapshot } from '../../shared/api.js';
import type { BroadcastDeps } from './deps.js';
import { freshnessOfAll } from './court-board.js';
import { courtMatches, parseCourtFilter } from './court-filter.js';
import { sendError, sendFailure } from './http-auth.js';
import { countFollowedEvents, latestCursor, readFollowedEvents, snapshotsAt } from './sse-resume.js';

/** Comment lines keep proxies and idle timeouts from closing a quiet stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** What EventSource waits before reconnecting after a drop. */
const SSE_RETRY_MS = 2_000;
/**
 * Too old to page: a `Last-Event-ID` more than this many events (of the followed matches)
 * behind gets a `resync` event and full snapshots instead of the missed updates.
 */
export const SSE_RESUME_MAX_EVENTS = 1_000;
/** Events read from PostgreSQL at once while catching up. */
const SSE_PAGE_EVENTS = LIMITS.MAX_PAGE_EVENTS;

/**
 * The data of each event, as the schemas of shared/api.ts describe them for clients; a
 * `snapshot` also carries the display model's texts (`display`), beside the schema's fields.
 */
export interface SseEventData {
  snapshot: SnapshotEventData;
  freshness: SseFreshness;
  resync: SseResync;
}
/** A snapshot event's data is what sseSnapshotSchema accepts (the compiler checks it). */
export type SnapshotEventChecked = Assert<SnapshotEventData extends SseSnapshot ? true : false>;

export function sseEvent<E extends keyof SseEventData>(event: E, data: SseEventData[E], id?: number): string {
  // JSON.stringify never emits raw line breaks, so the data fits one `data:` line.
  const head = id === undefined ? '' : `id: ${id}\n`;
  return `${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `Last-Event-ID`: absent or empty is a fresh start; a cursor (decimal digits) resumes;
 * anything else is refused (400 VALIDATION), never guessed at.
 */
export function parseLastEventId(
  value: string | undefined,
): { ok: true; cursor: number | null } | { ok: false; message: string } {
  if (value === undefined || value.trim() === '') return { ok: true, cursor: null };
  const text = value.trim();
  if (/^\d{1,15}$/.test(text)) return { ok: true, cursor: Number(text) };
  return { ok: false, message: 'Last-Event-ID: must be a cursor (a non-negative integer) as sent in id: lines' };
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

/**
 * A `snapshot` event's data: the snapshot, its freshness and the display model's texts at
 * `nowMs` (server time), then what an update adds (`baseCursor`, `events`).
 */
export function snapshotEventData(
  snapshot: MatchSnapshot,
  freshness: Freshness | null,
  nowMs: number,
  update?: { baseCursor: number | null; events: StoredEvent[] },
): SnapshotEventData {
  return { ...snapshot, freshness, display: scoreboardView(snapshot, nowMs), ...update };
}
export type SnapshotEventData = MatchSnapshot & {
  freshness: Freshness | null;
  display: ScoreboardView;
  baseCursor?: number | null;
  events?: StoredEvent[];
};

export interface StreamOptions {
  heartbeatMs?: number;
  /** Server time for the `display` texts (tests pin it). */
  now?: () => number;
}

type Held = { snapshot: MatchSnapshot; freshness: Freshness | null };

export function streamHandler(deps: BroadcastDeps, options: StreamOptions = {}) {
  const heartbeatMs = options.heartbeatMs ?? SSE_HEARTBEAT_MS;
  const now = options.now ?? Date.now;
  return async (req: Request, res: Response): Promise<void> => {
    const filter = parseCourtFilter(req.query.court);
    if (!filter.ok) return sendError(res, 'VALIDATION', filter.message);
    const courts = filter.courts;
    const lastEventId = parseLastEventId(req.get('last-event-id'));
    if (!lastEventId.ok) return sendError(res, 'VALIDATION', lastEventId.message);
    const resumeFrom = lastEventId.cursor;
    const follows = (s: MatchSnapshot) => courtMatches(courts, s.court);

    const held = new Map<string, Held>(); // what this client was last sent, per match
    let writer: BoundedWriter | null = null;
    let closed = false;
    /** Position: the client holds every followed event with cursor <= position, none above. */
    let position = 0;
    /** Highest cursor seen on air (any match): everything up to it is stored and readable. */
    let target = 0;
    /** Highest cursor of a followed match seen on air (or to catch up) and not written yet. */
    let waitingFor = 0;
    /** Events seen on air above position, by cursor: the event if followed, null if not. */
    const seen = new Map<number, StoredEvent | null>();
    /** Snapshots known without a replay, per match by cursor (from live updates and the first read). */
    const known = new Map<string, Map<number, Held>>();
    const current = () => position;

    const remember = (snapshot: MatchSnapshot, freshness: Freshness | null) => {
      let byCursor = known.get(snapshot.id);
      if (!byCursor) known.set(snapshot.id, (byCursor = new Map()));
      byCursor.set(snapshot.cursor, { snapshot, freshness });
    };

    /** A full snapshot, or the same state with new freshness (id: the current position). */
    const sendSnapshot = (snapshot: MatchSnapshot, freshness: Freshness | null, id: number) => {
      held.set(snapshot.id, { snapshot, freshness });
      writer?.send(snapshot.id, sseEvent('snapshot', snapshotEventData(snapshot, freshness, now()), id));
    };
    /** One run of consecutive events of one match, with the snapshot as of its last event. */
    const sendRun = (run: StoredEvent[], state: Held) => {
      const matchId = run[0]!.matchId;
      const baseCursor = held.get(matchId)?.snapshot.cursor ?? null;
      held.set(matchId, state);
      const data = snapshotEventData(state.snapshot, state.freshness, now(), { baseCursor, events: run });
      writer?.send(matchId, sseEvent('snapshot', data, run[run.length - 1]!.cursor));
    };

    /** Writes the followed events in (position, upTo] in cursor order; null when it must wait for a hole to fill. */
    const nextEvents = async (upTo: number): Promise<{ events: StoredEvent[]; reached: number } | null> => {
      let onAir = 0;
      for (const c of seen.keys()) if (c > position && c <= upTo) onAir++;
      if (onAir === upTo - position) {
        const events = [...seen.entries()]
          .filter(([c, e]) => e !== null && c > position && c <= upTo)
          .sort((a, b) => a[0] - b[0])
          .map(([, e]) => e!);
        return { events, reached: upTo };
      }
      // A hole: an event still waiting for its match's window (or lost on its way). Nothing
      // followed to write: wait for it, unless memory says read now.
      if (waitingFor <= position && seen.size <= SSE_PAGE_EVENTS) return null;
      const events = await readFollowedEvents(deps.pool, courts ?? null, position, upTo, SSE_PAGE_EVENTS);
      const reached = events.length === SSE_PAGE_EVENTS ? events[events.length - 1]!.cursor : upTo;
      return { events, reached };
    };

    const writeEvents = async (events: StoredEvent[]) => {
      const runs: StoredEvent[][] = [];
      for (const event of events) {
        const last = runs[runs.length - 1];
        if (last && last[0]!.matchId === event.matchId) last.push(event);
        else runs.push([event]);
      }
      const replay = new Map<string, number[]>();
      for (const run of runs) {
        const matchId = run[0]!.matchId;
        const end = run[run.length - 1]!.cursor;
        if (known.get(matchId)?.has(end)) continue;
        replay.set(matchId, [...(replay.get(matchId) ?? []), end]);
      }
      for (const [matchId, cursors] of replay) {
        const [snapshots, freshness] = await Promise.all([
          snapshotsAt(deps.pool, matchId, cursors),
          deps.freshness(matchId),
        ]);
        for (const snapshot of snapshots.values()) remember(snapshot, freshness);
      }
      if (closed) return;
      for (const run of runs) {
        const state = known.get(run[0]!.matchId)?.get(run[run.length - 1]!.cursor);
        if (state) sendRun(run, state); // a match deleted meanwhile: nothing to show
      }
    };

    let pumping = false;
    let caughtUp: (() => void) | null = null;
    /** Brings the client from position to target, in cursor order; one at a time. */
    const pump = async () => {
      if (pumping || !writer || closed) return;
      pumping = true;
      try {
        while (position < target && !closed) {
          const next = await nextEvents(target);
          if (!next) break;
          await writeEvents(next.events);
          position = next.reached;
          for (const c of seen.keys()) if (c <= position) seen.delete(c);
          for (const byCursor of known.values()) for (const c of byCursor.keys()) if (c <= position) byCursor.delete(c);
        }
      } catch {
        // Storage failed mid-way: end the stream; the client reconnects with its Last-Event-ID.
        if (!closed) res.end();
        return;
      } finally {
        pumping = false;
      }
      const done = caughtUp;
      caughtUp = null;
      done?.();
    };

    /** A live update (any match: its cursors tell whether the sequence has holes). */
    const record = (update: MatchUpdate) => {
      for (const event of update.events)
        if (event.cursor > position) seen.set(event.cursor, follows(update.snapshot) ? event : null);
      if (update.cursor <= position) return;
      target = Math.max(target, update.cursor);
      if (follows(update.snapshot)) {
        remember(update.snapshot, update.freshness);
        waitingFor = Math.max(waitingFor, update.cursor);
      }
      void pump();
    };
    /** A console came or went: the freshness of the matches it writes (and reported) changed without a new event. */
    const presenceChanged = (presence: ConsolePresence, fed: readonly string[] = []) => {
      for (const matchId of new Set([...fed, ...(presence.matchId ? [presence.matchId] : [])])) {
        const last = held.get(matchId);
        if (!last || (last.freshness?.consoleOnline ?? false) === presence.online) continue;
        const base = last.freshness ?? { lastEventAt: null, lastStoredAt: null, consoleOnline: false, verified: null };
        sendSnapshot(last.snapshot, { ...base, consoleOnline: presence.online }, current());
      }
    };
    /** The verify stream's verification changed: the state the client holds, with it, at the current position. */
    const verificationChanged = (snapshot: MatchSnapshot, freshness: Freshness) => {
      const last = held.get(snapshot.id);
      if (!last) return;
      const { verification = null, verificationAlert = null } = snapshot;
      const base = last.freshness ?? freshness;
      sendSnapshot(
        { ...last.snapshot, verification, verificationAlert },
        { ...base, verified: freshness.verified ?? null },
        current(),
      );
    };
    /** A new match (cursor 0) or one changed without events: sent when newer than what the client holds. */
    const offer = (snapshot: MatchSnapshot, freshness: Freshness | null) => {
      if (!follows(snapshot) || snapshot.cursor > position) return; // its events come through the pump
      const last = held.get(snapshot.id);
      if (last && last.snapshot.cursor >= snapshot.cursor) return;
      sendSnapshot(snapshot, freshness, current());
    };

    // Listen before reading, so nothing committed in between is lost; what arrives
    // meanwhile is taken after the first read (the pump drops what it covers).
    let early: (() => void)[] | null = [];
    const later = (action: () => void) => (early ? early.push(action) : action());
    const unsubscribers = [
      deps.onUpdate((update) => later(() => record(update))),
      deps.onPresence((presence, fed) => later(() => presenceChanged(presence, fed))),
    ];
    if (deps.onVerification)
      unsubscribers.push(deps.onVerification((snapshot, fresh) => later(() => verificationChanged(snapshot, fresh))));
    if (deps.onMatch) {
      unsubscribers.push(
        deps.onMatch((snapshot) =>
          later(() => {
            if (!follows(snapshot)) return;
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
    let start: number; // a cursor every snapshot read below includes (read before them)
    let resync: { reason: 'TOO_OLD' | 'UNKNOWN_CURSOR'; lastEventId: number; limit: number } | null = null;
    try {
      start = resumeFrom === null ? await latestCursor(deps.pool).catch(() => 0) : await latestCursor(deps.pool);
      snapshots = (await deps.listSnapshots(courts ? { courts } : undefined)).filter(follows);
      freshness = await freshnessOfAll(deps, snapshots);
      if (resumeFrom !== null) {
        if (resumeFrom > start)
          resync = { reason: 'UNKNOWN_CURSOR', lastEventId: resumeFrom, limit: SSE_RESUME_MAX_EVENTS };
        else if (
          (await countFollowedEvents(deps.pool, courts ?? null, resumeFrom, SSE_RESUME_MAX_EVENTS)) >
          SSE_RESUME_MAX_EVENTS
        )
          resync = { reason: 'TOO_OLD', lastEventId: resumeFrom, limit: SSE_RESUME_MAX_EVENTS };
      }
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
    // Everything followed up to here is in the snapshots just read (one consistent read).
    const reached = Math.max(start, ...snapshots.map((s) => s.cursor));
    snapshots.forEach((s, i) => remember(s, freshness[i] ?? null));
    if (resumeFrom === null || resync) {
      if (resync) writer.send('resync', sseEvent('resync', resync, resumeFrom!));
      // Full snapshots in cursor order, each with its own cursor as id.
      const order = snapshots.map((s, i) => ({ s, f: freshness[i] ?? null })).sort((a, b) => a.s.cursor - b.s.cursor);
      for (const { s, f } of order) sendSnapshot(s, f, s.cursor);
      position = reached;
      target = reached;
    } else {
      // Resume: the client holds the followed events up to resumeFrom; the pump writes the rest.
      position = resumeFrom;
      target = Math.max(resumeFrom, reached);
      waitingFor = target;
      snapshots.forEach((s, i) => {
        if (s.cursor > resumeFrom) return; // its events after resumeFrom come through the pump
        // A match without events may have been created after resumeFrom: the client may not know it.
        if (s.cursor === 0) sendSnapshot(s, freshness[i] ?? null, resumeFrom);
        else held.set(s.id, { snapshot: s, freshness: freshness[i] ?? null });
      });
    }
    if (resumeFrom !== null && !resync) {
      // After the missed updates: the current freshness of every followed match.
      caughtUp = () => {
        for (const [matchId, h] of held) {
          const data = { matchId, cursor: h.snapshot.cursor, freshness: h.freshness };
          writer?.send(`freshness:${matchId}`, sseEvent('freshness', data, current()));
        }
      };
    }
    const backlog = early;
    early = null;
    for (const action of backlog) action();
    void pump();

    const heartbeat = setInterval(() => writer?.heartbeat(), heartbeatMs);
    res.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      stop();
    });
  };
}

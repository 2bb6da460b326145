/**
 * The fixed batch window. The first event into an empty window starts a timer of
 * `windowMs`; when it fires the window closes (later events open the next one) and is
 * flushed in one transaction. It is NOT a debounce: steady input cannot postpone a flush.
 * Order per flush: commit, then release the acks, then hand the batch to broadcasting.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import { databaseReachable, withTransaction } from '../db/pool.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { MatchStateCache } from './match-state.js';
import { crashPoint } from '../testing/crash-points.js';
import { writeBatch, type BatchItem, type CommittedMatch, type MatchGroup } from './flush.js';

/** How often to probe PostgreSQL after a failed flush before accepting pushes again. */
const RECOVERY_PROBE_MS = 500;

interface Window {
  items: BatchItem[];
  snapshots: Map<string, MatchSnapshot>;
  states: Map<string, BatchItem['state']>;
}

export interface BatcherOptions {
  pool: pg.Pool;
  states: MatchStateCache;
  windowMs: number;
  maxPendingEvents: number;
  metrics: Metrics;
  logger: Logger;
  /** Called after the acks of a committed batch are released. */
  onCommitted: (matches: CommittedMatch[]) => void;
}

export class Batcher {
  private open: Window | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly closed: Window[] = [];
  private flushing: Promise<void> | null = null;
  private pendingEvents = 0;
  private down = false;
  private probe: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: BatcherOptions) {}

  /** Why a push cannot be taken now, or null. */
  refusal(events: number): string | null {
    if (this.stopped) return 'the server is shutting down';
    if (this.down) return 'storage unreachable; retry later';
    if (this.pendingEvents + events > this.opts.maxPendingEvents)
      return 'too many events waiting for storage; retry later';
    return null;
  }

  get pending(): number {
    return this.pendingEvents;
  }

  enqueue(item: BatchItem): void {
    if (!this.open) {
      this.open = { items: [], snapshots: new Map(), states: new Map() };
      this.timer = setTimeout(() => this.closeWindow(), this.opts.windowMs);
    }
    this.open.items.push(item);
    this.open.states.set(item.state.meta.id, item.state);
    this.pendingEvents += item.events.length;
  }

  private closeWindow(): void {
    const window = this.open;
    this.open = null;
    this.timer = null;
    if (!window) return;
    // Snapshot now: later pushes keep applying to the reducers while this window commits.
    for (const [id, state] of window.states) window.snapshots.set(id, state.reducer.snapshot());
    this.closed.push(window);
    this.pump();
  }

  private pump(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      while (this.closed.length) await this.flush(this.closed.splice(0));
      this.flushing = null;
    })();
  }

  private async flush(windows: Window[]): Promise<void> {
    const { metrics, logger } = this.opts;
    const items = windows.flatMap((w) => w.items);
    const count = items.reduce((n, i) => n + i.events.length, 0);
    const snapshots = new Map<string, MatchSnapshot>();
    for (const w of windows) for (const [id, snap] of w.snapshots) snapshots.set(id, snap);
    const groups = new Map<string, MatchGroup>();
    for (const item of items) {
      if (item.state.poisoned) continue; // built on a failed flush: its waiters were already released
      const id = item.state.meta.id;
      let group = groups.get(id);
      if (!group) {
        group = { matchId: id, state: item.state, items: [], snapshot: snapshots.get(id)! };
        groups.set(id, group);
      }
      if (group.state !== item.state) {
        // The state was reloaded while events were pending: PostgreSQL decides below.
        group.state = item.state;
      }
      group.items.push(item);
    }
    const started = performance.now();
    try {
      if (groups.size === 0) return;
      const result = await withTransaction(this.opts.pool, async (client) => {
        const written = await writeBatch(client, [...groups.values()]);
        crashPoint('before-commit');
        return written;
      });
      crashPoint('after-commit-before-ack');
      const committedAt = performance.now();
      metrics.flushDuration.observe((committedAt - started) / 1000);
      const written = result.committed.reduce((n, c) => n + c.match.events.length, 0);
      metrics.batchSize.observe(written);
      metrics.eventsAccepted.inc(written);
      for (const { group, match } of result.committed) {
        for (const item of group.items) metrics.dbLag.observe((committedAt - item.receivedAt) / 1000);
        const last = match.events[match.events.length - 1]!;
        for (const state of new Set(group.items.map((i) => i.state))) {
          state.epoch = match.epoch;
          state.markCommitted(last.seq, last.cursor, match.lastEventAt, match.storedAt);
        }
      }
      for (const group of result.excluded) {
        logger.warn({ matchId: group.matchId }, 'ingest: memory disagreed with storage; reloading match');
        for (const state of new Set(group.items.map((i) => i.state))) {
          if (this.opts.states.peek(group.matchId) === state) this.opts.states.drop(group.matchId);
          state.poisoned = true;
          state.releaseAll('retry');
        }
      }
      // Acks run in microtasks of the resolved waits; broadcast only after they went out.
      await new Promise((resolve) => setImmediate(resolve));
      crashPoint('after-ack-before-broadcast');
      if (result.committed.length) this.opts.onCommitted(result.committed.map((c) => c.match));
    } catch (error) {
      metrics.flushFailures.inc();
      logger.error({ err: (error as Error).message, events: count }, 'ingest: flush failed; nothing acknowledged');
      for (const group of groups.values()) {
        for (const state of new Set(group.items.map((i) => i.state))) {
          state.poisoned = true;
          if (this.opts.states.peek(group.matchId) === state) this.opts.states.drop(group.matchId);
          state.releaseAll('unavailable');
        }
      }
      this.markDown();
    } finally {
      this.pendingEvents -= count;
    }
  }

  private markDown(): void {
    if (this.down || this.stopped) return;
    this.down = true;
    const check = async () => {
      if (this.stopped) return;
      if (await databaseReachable(this.opts.pool)) {
        this.down = false;
        this.probe = null;
        this.opts.logger.info('ingest: storage reachable again');
        return;
      }
      this.probe = setTimeout(check, RECOVERY_PROBE_MS);
    };
    this.probe = setTimeout(check, RECOVERY_PROBE_MS);
  }

  /** Shutdown: close the open window now and wait for every flush to finish. */
  async drain(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probe) clearTimeout(this.probe);
    if (this.open) this.closeWindow();
    while (this.flushing) await this.flushing;
  }
}

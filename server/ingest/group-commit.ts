/**
 * Group commit: a single writer commits whatever is pending as soon as the previous
 * commit has finished. An idle server commits a lone event at once; a busy one batches
 * naturally (everything that arrived during a commit goes into the next). One
 * transaction and one statement per commit (flush.ts). Order per commit: commit, then
 * release the acks, then hand the committed matches to broadcasting.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import { databaseReachable } from '../db/pool.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { FaultHooks } from '../fault-hooks.js';
import { writeBatch, type BatchItem, type CommittedMatch, type MatchGroup } from './flush.js';
import type { MatchStateCache } from './match-state.js';

/**
 * PostgreSQL answered and refused the statement for what it holds (SQLSTATE class 22
 * data exception, 23 integrity violation): storage is up, a value is the problem. Any
 * other failure (connection, shutdown, resources) means storage is unavailable.
 */
function refusedByStatement(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** How often to probe PostgreSQL after a failed commit before accepting pushes again. */
const RECOVERY_PROBE_MS = 500;

/**
 * accepting: pushes are taken; storage-down: a commit failed, refused until a probe
 * reaches PostgreSQL again; stopping: shutdown, refused for good.
 */
type WriterState = 'accepting' | 'storage-down' | 'stopping';

export interface GroupCommitOptions {
  pool: pg.Pool;
  states: MatchStateCache;
  /** Events taken (queued or being committed) before pushes are refused: bounded memory. */
  maxPendingEvents: number;
  metrics: Metrics;
  logger: Logger;
  /** Called after the acks of a commit are released. */
  onCommitted: (matches: CommittedMatch[]) => void;
  /** Fault tests only: called at each named point of a commit (server/fault-hooks.ts). */
  faultHooks?: FaultHooks;
}

export class GroupCommit {
  private queue: BatchItem[] = [];
  private startScheduled = false;
  /** Commits started and not finished (at most one in PostgreSQL, one releasing its acks). */
  private committing = 0;
  /** Statements sent to PostgreSQL and not answered yet. */
  private sending = 0;
  private idle: (() => void)[] = [];
  private pendingEvents = 0;
  private state: WriterState = 'accepting';
  private probe: NodeJS.Timeout | null = null;
  /** Committed batches handed to broadcasting on the next turn (shutdown waits for them). */
  private broadcasting = 0;

  constructor(private readonly opts: GroupCommitOptions) {}

  /** Why a push cannot be taken now, or null. */
  refusal(events: number): string | null {
    switch (this.state) {
      case 'stopping':
        return 'the server is shutting down';
      case 'storage-down':
        return 'storage unreachable; retry later';
      case 'accepting':
        if (this.pendingEvents + events > this.opts.maxPendingEvents)
          return 'too many events waiting for storage; retry later';
        return null;
    }
  }

  /** Events received and not yet committed (queued or in the commit under way). */
  get pending(): number {
    return this.pendingEvents;
  }

  enqueue(item: BatchItem): void {
    this.queue.push(item);
    this.pendingEvents += item.events.length;
    if (this.startScheduled) return;
    // Started in a microtask: pushes decoded in the same turn share the commit.
    this.startScheduled = true;
    queueMicrotask(() => {
      this.startScheduled = false;
      this.startNext();
    });
  }

  /**
   * Starts a commit of everything queued, unless a statement is already on its way to
   * PostgreSQL (that one's result starts the next: see write). So one commit is in
   * PostgreSQL at a time while the previous one's acks are being sent.
   */
  private startNext(): void {
    if (this.sending > 0 || this.queue.length === 0) return;
    const items = this.queue;
    this.queue = [];
    this.committing++;
    void this.commit(items).finally(() => {
      this.committing--;
      this.startNext();
      if (this.committing === 0 && this.queue.length === 0) {
        const waiting = this.idle;
        this.idle = [];
        for (const resolve of waiting) resolve();
      }
    });
  }

  /** Groups the items by match, with each match's snapshot as of now (its reducer holds exactly these). */
  private group(items: BatchItem[]): MatchGroup[] {
    const groups = new Map<string, MatchGroup>();
    for (const item of items) {
      if (item.state.poisoned) continue; // built on a failed commit: its waiters were already released
      const id = item.state.meta.id;
      let group = groups.get(id);
      if (!group) {
        group = { matchId: id, state: item.state, items: [], snapshot: undefined as unknown as MatchSnapshot };
        groups.set(id, group);
      }
      // The state was reloaded while events were pending: PostgreSQL decides.
      group.state = item.state;
      group.items.push(item);
    }
    for (const group of groups.values()) group.snapshot = group.state.reducer.snapshot();
    return [...groups.values()];
  }

  private async commit(items: BatchItem[]): Promise<void> {
    const count = items.reduce((n, i) => n + i.events.length, 0);
    const groups = this.group(items);
    try {
      if (groups.length === 0) return;
      try {
        await this.write(groups);
      } catch (error) {
        if (!refusedByStatement(error)) throw error;
        // One match's value failed the statement: commit each match alone, so an honest court never pays for it.
        this.opts.logger.warn(
          { err: (error as Error).message },
          'ingest: commit refused; committing matches one by one',
        );
        for (const group of groups) {
          try {
            await this.write([group]);
          } catch (alone) {
            if (!refusedByStatement(alone)) throw alone;
            this.opts.metrics.flushFailures.inc();
            this.opts.logger.warn(
              { err: (alone as Error).message, matchId: group.matchId },
              'ingest: push refused by storage',
            );
            this.discard(group, 'rejected');
          }
        }
      }
    } catch (error) {
      this.opts.metrics.flushFailures.inc();
      this.opts.logger.error(
        { err: (error as Error).message, events: count },
        'ingest: commit failed; nothing acknowledged',
      );
      for (const group of groups) if (!group.state.poisoned) this.discard(group, 'unavailable');
      this.markDown();
    } finally {
      this.pendingEvents -= count;
    }
  }

  /** One commit: write, then release the acks, then hand the committed matches to broadcasting. */
  private async write(groups: MatchGroup[]): Promise<void> {
    const { metrics, logger } = this.opts;
    const started = performance.now();
    this.opts.faultHooks?.reached('before-commit');
    this.sending++;
    let result: Awaited<ReturnType<typeof writeBatch>>;
    try {
      result = await writeBatch(this.opts.pool, groups);
    } finally {
      this.sending--;
    }
    this.opts.faultHooks?.reached('after-commit-before-ack');
    // What arrived meanwhile goes to PostgreSQL now, while this commit's acks are sent.
    this.startNext();
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
      this.discard(group, 'retry');
    }
    // Acks run in microtasks of the resolved waits; broadcast only after they went out. The
    // next commit does not wait for the broadcast: it starts as soon as this returns.
    if (result.committed.length) {
      const matches = result.committed.map((c) => c.match);
      this.broadcasting++;
      setImmediate(() => {
        this.broadcasting--;
        this.opts.faultHooks?.reached('after-ack-before-broadcast');
        this.opts.onCommitted(matches);
      });
    }
  }

  /** The group's tentative events are gone: its states may not be built on, its pushes are released. */
  private discard(group: MatchGroup, outcome: 'retry' | 'unavailable' | 'rejected'): void {
    for (const state of new Set(group.items.map((i) => i.state))) {
      state.poisoned = true;
      if (this.opts.states.peek(group.matchId) === state) this.opts.states.drop(group.matchId);
      state.releaseAll(outcome);
    }
  }

  private markDown(): void {
    if (this.state !== 'accepting') return;
    this.state = 'storage-down';
    const check = async () => {
      if (this.state !== 'storage-down') return;
      if (await databaseReachable(this.opts.pool)) {
        this.state = 'accepting';
        this.probe = null;
        this.opts.logger.info('ingest: storage reachable again');
        return;
      }
      this.probe = setTimeout(() => void check(), RECOVERY_PROBE_MS);
    };
    this.probe = setTimeout(() => void check(), RECOVERY_PROBE_MS);
  }

  /** Shutdown: refuse new pushes and wait for every queued event to be committed. */
  async drain(): Promise<void> {
    this.state = 'stopping';
    if (this.probe) clearTimeout(this.probe);
    if (this.committing > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    while (this.broadcasting > 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * In-memory state of one match for ingest: the reducer (committed events plus the ones
 * accepted into a not-yet-committed window), the fencing epoch and writer, and the
 * pushes waiting for their events to commit. It is a cache: the flush transaction
 * re-checks epoch and seq against PostgreSQL, and any doubt drops the state so the
 * next push reloads it.
 */
import type pg from 'pg';
import type { StoredEvent } from '../../shared/events.js';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchMeta } from '../../shared/match.js';
import { getMatchRow, loadMatchEvents } from '../store/matches.js';

/**
 * How a wait for a commit ends: committed; unavailable (storage failed, retry later);
 * retry (memory disagreed with storage: re-plan); rejected (storage refused a value of
 * this match's events: that push only, never another court's).
 */
export type WaitOutcome = 'committed' | 'unavailable' | 'retry' | 'rejected';

interface Waiter {
  seq: number;
  resolve: (outcome: WaitOutcome) => void;
}

export class MatchState {
  epoch: number;
  writerConsoleId: string | null;
  /** Highest seq committed to PostgreSQL, and its cursor. */
  committedSeq: number;
  committedCursor: number;
  lastEventAt: string | null;
  lastStoredAt: string | null;
  /** Console that recorded each seq (index seq - 1): a resend is a duplicate only from the same console. */
  readonly origins: string[];
  /** Set when a flush failed: the tentative events are gone, nothing else may build on them. */
  poisoned = false;
  private waiters: Waiter[] = [];

  constructor(
    readonly meta: MatchMeta,
    readonly reducer: MatchReducer,
    init: {
      epoch: number;
      writerConsoleId: string | null;
      events: readonly StoredEvent[];
      lastStoredAt: string | null;
    },
  ) {
    this.epoch = init.epoch;
    this.writerConsoleId = init.writerConsoleId;
    const last = init.events[init.events.length - 1];
    this.committedSeq = last?.seq ?? 0;
    this.committedCursor = last?.cursor ?? 0;
    this.lastEventAt = last?.at ?? null;
    this.lastStoredAt = init.lastStoredAt;
    this.origins = init.events.map((e) => e.consoleId);
  }

  get court(): string {
    return this.meta.court;
  }

  /** Resolves once `seq` is committed, or when the wait must end without an ack. */
  waitCommitted(seq: number): Promise<WaitOutcome> {
    if (seq <= this.committedSeq) return Promise.resolve('committed');
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  markCommitted(seq: number, cursor: number, lastEventAt: string, storedAt: string): void {
    if (seq > this.committedSeq) {
      this.committedSeq = seq;
      this.committedCursor = cursor;
      this.lastEventAt = lastEventAt;
      this.lastStoredAt = storedAt;
    }
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq <= this.committedSeq) w.resolve('committed');
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Ends every wait: the state is being thrown away. */
  releaseAll(outcome: Exclude<WaitOutcome, 'committed'>): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(outcome);
  }
}

/** Loads a match's state from PostgreSQL; null when the match does not exist. */
export async function loadMatchState(pool: pg.Pool, matchId: string): Promise<MatchState | null> {
  const row = await getMatchRow(pool, matchId);
  if (!row) return null;
  const events = await loadMatchEvents(pool, matchId);
  const { rows } = await pool.query<{ updated_at: Date; event_count: number }>(
    'SELECT updated_at, event_count FROM match_statistics WHERE match_id = $1',
    [matchId],
  );
  const stats = rows[0];
  const reducer = new MatchReducer(row.meta, events);
  return new MatchState(row.meta, reducer, {
    epoch: row.epoch,
    writerConsoleId: row.writerConsoleId,
    events,
    lastStoredAt: stats && stats.event_count > 0 ? stats.updated_at.toISOString() : null,
  });
}

/** Match states kept in memory; beyond this the least recently used idle ones are dropped (reloaded on use). */
export const MAX_CACHED_MATCHES = 500;

/** The cache of match states, one per match id, least recently used first. */
export class MatchStateCache {
  private readonly states = new Map<string, MatchState>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly capacity = MAX_CACHED_MATCHES,
  ) {}

  peek(matchId: string): MatchState | undefined {
    return this.states.get(matchId);
  }

  async get(matchId: string): Promise<MatchState | null> {
    const cached = this.states.get(matchId);
    if (cached && !cached.poisoned) {
      this.states.delete(matchId);
      this.states.set(matchId, cached);
      return cached;
    }
    const loaded = await loadMatchState(this.pool, matchId);
    this.states.delete(matchId);
    if (loaded) {
      this.states.set(matchId, loaded);
      this.evictIdle();
    }
    return loaded;
  }

  /** Only states with nothing pending: their memory equals what PostgreSQL holds. */
  private evictIdle(): void {
    for (const [id, state] of this.states) {
      if (this.states.size <= this.capacity) return;
      if (state.reducer.lastSeq === state.committedSeq) this.states.delete(id);
    }
  }

  /** Forget a match (claim, handover, another process wrote it, a failed flush). */
  drop(matchId: string): void {
    this.states.delete(matchId);
  }

  dropAll(): void {
    this.states.clear();
  }
}

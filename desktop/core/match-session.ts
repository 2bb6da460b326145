/**
 * One match held in memory: the durable row (epoch, fencing, outbox cursor), the event log
 * and the rules' incremental state. Built from SQLite, changed only after SQLite committed.
 */
import { MatchReducer, type FoldableEvent } from '../../shared/domain/index.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { LogEntry } from '../contract/api.js';
import type { LocalEvent, LocalStore, MatchRow } from './local-store.js';
import { redoStack, undoTarget } from './match-history.js';

export function toFoldable(e: LocalEvent): FoldableEvent {
  const { consoleId: _c, cursor, ...event } = e;
  return cursor === null ? event : { ...event, cursor };
}

export class MatchSession {
  row: MatchRow;
  reducer: MatchReducer;
  readonly events: LocalEvent[];
  /** Bumped on every change so derived values (snapshot, sets, redo stack) are computed once per change. */
  private version = 0;
  private cache: {
    version: number;
    snapshot: MatchSnapshot;
    cancelled: Set<number>;
    ignored: Set<number>;
    redoable?: number[];
  } | null = null;

  constructor(row: MatchRow, events: LocalEvent[]) {
    this.row = row;
    this.events = events;
    this.reducer = new MatchReducer(row.meta, events.map(toFoldable));
  }

  static load(store: LocalStore, id: string): MatchSession | null {
    const row = store.match(id);
    return row ? new MatchSession(row, store.events(id)) : null;
  }

  get id(): string {
    return this.row.id;
  }

  get lastSeq(): number {
    return this.reducer.lastSeq;
  }

  get pending(): number {
    return Math.max(0, this.row.lastSeq - this.row.confirmedSeq);
  }

  touch(): void {
    this.version++;
  }

  private derived() {
    if (!this.cache || this.cache.version !== this.version) {
      const snapshot = this.reducer.snapshot();
      this.cache = {
        version: this.version,
        snapshot,
        cancelled: new Set(snapshot.cancelledSeqs),
        ignored: new Set(snapshot.ignoredSeqs),
      };
    }
    return this.cache;
  }

  snapshot(): MatchSnapshot {
    return this.derived().snapshot;
  }

  undoTarget(): number | null {
    const d = this.derived();
    return undoTarget(this.events, d.cancelled, d.ignored);
  }

  redoable(): number[] {
    const d = this.derived();
    d.redoable ??= redoStack(this.events, d.cancelled);
    return d.redoable;
  }

  /** Record a committed event (SQLite already has it). */
  appended(event: LocalEvent): void {
    this.events.push(event);
    this.row = { ...this.row, lastSeq: event.seq };
    this.touch();
  }

  /** The newest `limit` log lines, oldest first. */
  log(limit: number): LogEntry[] {
    const d = this.derived();
    const from = Math.max(0, this.events.length - limit);
    const out: LogEntry[] = [];
    for (let i = from; i < this.events.length; i++) {
      const e = this.events[i]!;
      const confirmed = e.seq <= this.row.confirmedSeq;
      const entry: LogEntry = {
        event: { seq: e.seq, type: e.type, payload: e.payload, at: e.at } as LogEntry['event'],
        cancelled: d.cancelled.has(e.seq),
        ignored: d.ignored.has(e.seq),
        confirmed,
      };
      if (confirmed && e.cursor !== null) entry.stored = { cursor: e.cursor, consoleId: e.consoleId, epoch: e.epoch };
      out.push(entry);
    }
    return out;
  }
}

/**
 * MatchReducer: the incremental state of one match for its writers (console core,
 * server ingest). check() asks the rules without changing anything; apply() is called
 * only after the event is committed. A normal event is applied in O(1). A CORRECTION
 * can change what later events meant: the reducer works out which events change
 * (correction-index.ts, the chain of corrections it touches), goes back to the last
 * checkpoint before the first of them (a copy of the state every CHECKPOINT_EVERY
 * events) and refolds from there, so a correction costs what it changes, not the
 * length of the match. check() refuses a correction that would change an event more
 * than MAX_CORRECTION_REACH events back (RULES): one message can never make the writer
 * replay a long match (a 40,000-event match made each correction a full replay).
 * Invariant: snapshot() equals foldMatch(meta, events()) byte for byte.
 */
import type { MatchEvent } from '../events.js';
import type { MatchMeta, MatchSnapshot } from '../match.js';
import { CorrectionIndex } from './correction-index.js';
import { checkCorrection } from './corrections.js';
import { orderedEvents, stepEvent } from './fold.js';
import { checkEvent } from './rules.js';
import { malformed } from './shape.js';
import { rulesFor } from './sports/index.js';
import { createState, toSnapshot, type MatchState } from './state.js';
import type { FoldableEvent, RuleVerdict, SportRules } from './types.js';

/**
 * A correction may change at most the last this many events of a match (refused with
 * RULES beyond). A real match has a few hundred to a couple of thousand events, and an
 * operator corrects what just happened; refolding 1,000 events takes well under a
 * millisecond, so a push full of corrections stays cheap.
 */
export const MAX_CORRECTION_REACH = 1_000;
/** A copy of the state every this many events: a correction refolds at most this many events before the first it changes. */
export const CHECKPOINT_EVERY = 128;

interface Checkpoint {
  /** Events folded into it (log index of the next event). */
  count: number;
  state: MatchState;
  /** Lengths of the append-only lists at that point (copied lists would cost O(history) each). */
  ignored: number;
  cancelled: number;
}

export class MatchReducer {
  readonly meta: MatchMeta;
  private readonly rules: SportRules;
  private readonly log: FoldableEvent[];
  /** seq -> index in log. */
  private readonly index = new Map<number, number>();
  private readonly corrections: CorrectionIndex;
  private state: MatchState;
  /** Ascending by count; only those a correction within reach may need are kept. */
  private checkpoints: Checkpoint[] = [];

  constructor(meta: MatchMeta, events: readonly FoldableEvent[] = []) {
    this.meta = meta;
    this.rules = rulesFor(meta.sport);
    this.log = orderedEvents(events);
    this.log.forEach((e, i) => this.index.set(e.seq, i));
    this.corrections = new CorrectionIndex(this.log, (seq) => this.eventAt(seq));
    this.state = createState(meta);
    this.refoldFrom(0);
  }

  /** Last seq applied (0 when empty). */
  get lastSeq(): number {
    return this.state.seq;
  }

  snapshot(): MatchSnapshot {
    return toSnapshot(this.meta, this.state);
  }

  private eventAt(seq: number): FoldableEvent | undefined {
    const i = this.index.get(seq);
    return i === undefined ? undefined : this.log[i];
  }

  /** seq must be lastSeq + 1 (else GAP), the rules must accept it (else RULES). */
  check(event: MatchEvent): RuleVerdict {
    const expected = this.lastSeq + 1;
    if (event.seq !== expected)
      return { ok: false, code: 'GAP', message: `seq: expected ${expected}, got ${event.seq}` };
    const damaged = malformed(event);
    if (damaged !== null) return { ok: false, code: 'VALIDATION', message: damaged };
    const why =
      event.type === 'CORRECTION'
        ? (checkCorrection(
            event.payload.undoes,
            event.seq,
            (seq) => this.index.has(seq),
            (seq) => this.corrections.isCancelled(seq),
          ) ?? this.checkReach(event))
        : checkEvent(this.state, this.rules, event);
    return why === null ? { ok: true } : { ok: false, code: 'RULES', message: why };
  }

  /** Why this correction reaches too far back, or null. */
  private checkReach(event: FoldableEvent & { type: 'CORRECTION' }): string | null {
    const first = this.log.length - MAX_CORRECTION_REACH;
    const floor = first <= 0 ? -Infinity : this.log[first]!.seq;
    this.index.set(event.seq, this.log.length); // findable while planned; check() changes nothing else
    this.log.push(event);
    try {
      if (this.corrections.plan(event, floor)) return null;
    } finally {
      this.log.pop();
      this.index.delete(event.seq);
    }
    const undoes = event.payload.undoes;
    return floor <= undoes
      ? `payload.undoes: undoing event ${undoes} would change events more than ${MAX_CORRECTION_REACH} events back (a correction reaches at most that far)`
      : `payload.undoes: event ${undoes} is more than ${MAX_CORRECTION_REACH} events back (a correction reaches at most that far)`;
  }

  /**
   * Takes a committed event in. An event the rules refuse is kept and listed in
   * ignoredSeqs, exactly as the fold would; a seq not above lastSeq is a caller bug.
   */
  apply(event: FoldableEvent): void {
    if (!Number.isSafeInteger(event.seq) || event.seq <= this.lastSeq)
      throw new Error(`MatchReducer.apply: seq ${event.seq} is not after lastSeq ${this.lastSeq}`);
    this.index.set(event.seq, this.log.length);
    this.log.push(event);
    if (event.type === 'CORRECTION') {
      const plan = this.corrections.plan(event)!;
      this.corrections.commit(event, plan);
      this.refoldFrom(this.index.get(plan.lowest)!);
      return;
    }
    this.step(this.log.length - 1);
  }

  events(): readonly FoldableEvent[] {
    return this.log;
  }

  /** Folds log[i] into the state with its verdict; a checkpoint every CHECKPOINT_EVERY events. */
  private step(i: number): void {
    const e = this.log[i]!;
    stepEvent(this.state, this.rules, e, this.corrections.verdict(e.seq));
    const count = i + 1;
    if (count % CHECKPOINT_EVERY !== 0) return;
    this.checkpoints.push({
      count,
      state: structuredClone({ ...this.state, ignored: [], cancelled: [] }),
      ignored: this.state.ignored.length,
      cancelled: this.state.cancelled.length,
    });
    // Older ones only serve corrections beyond the reach, which apply() refolds from the start.
    const oldest = count - MAX_CORRECTION_REACH - CHECKPOINT_EVERY;
    while (this.checkpoints.length > 1 && this.checkpoints[0]!.count < oldest) this.checkpoints.shift();
  }

  /** Refolds log[from..] from the last checkpoint at or before `from` (the events before it are unchanged). */
  private refoldFrom(from: number): void {
    while (this.checkpoints.length && this.checkpoints[this.checkpoints.length - 1]!.count > from)
      this.checkpoints.pop();
    const checkpoint = this.checkpoints[this.checkpoints.length - 1];
    if (checkpoint) {
      // The lists before the checkpoint are unchanged since it was taken: keep their prefix.
      const { ignored, cancelled } = this.state;
      ignored.length = checkpoint.ignored;
      cancelled.length = checkpoint.cancelled;
      this.state = { ...structuredClone(checkpoint.state), ignored, cancelled };
    } else {
      this.state = createState(this.meta);
    }
    for (let i = checkpoint?.count ?? 0; i < this.log.length; i++) this.step(i);
  }
}

/**
 * MatchReducer: the incremental state of one match for its writers (console core,
 * server ingest). check() asks the rules without changing anything; apply() is called
 * only after the event is committed. A normal event is applied in O(1); a CORRECTION
 * can change what every later event meant, so it refolds the history.
 * Invariant: snapshot() equals foldMatch(meta, events()) byte for byte.
 */
import type { MatchEvent } from '../events.js';
import type { MatchMeta, MatchSnapshot } from '../match.js';
import { checkCorrection } from './corrections.js';
import { foldState, orderedEvents, stepEvent } from './fold.js';
import { checkEvent } from './rules.js';
import { malformed } from './shape.js';
import { rulesFor } from './sports/index.js';
import { toSnapshot, type MatchState } from './state.js';
import type { FoldableEvent, RuleVerdict, SportRules } from './types.js';

export class MatchReducer {
  readonly meta: MatchMeta;
  private readonly rules: SportRules;
  private readonly log: FoldableEvent[];
  private readonly seqs = new Set<number>();
  private state: MatchState;
  private cancelled: Set<number>;

  constructor(meta: MatchMeta, events: readonly FoldableEvent[] = []) {
    this.meta = meta;
    this.rules = rulesFor(meta.sport);
    this.log = orderedEvents(events);
    for (const e of this.log) this.seqs.add(e.seq);
    const folded = foldState(meta, this.log);
    this.state = folded.state;
    this.cancelled = folded.cancelled;
  }

  /** Last seq applied (0 when empty). */
  get lastSeq(): number {
    return this.state.seq;
  }

  snapshot(): MatchSnapshot {
    return toSnapshot(this.meta, this.state);
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
        ? checkCorrection(
            event.payload.undoes,
            event.seq,
            (seq) => this.seqs.has(seq),
            (seq) => this.cancelled.has(seq),
          )
        : checkEvent(this.state, this.rules, event);
    return why === null ? { ok: true } : { ok: false, code: 'RULES', message: why };
  }

  /**
   * Takes a committed event in. An event the rules refuse is kept and listed in
   * ignoredSeqs, exactly as the fold would; a seq not above lastSeq is a caller bug.
   */
  apply(event: FoldableEvent): void {
    if (!Number.isSafeInteger(event.seq) || event.seq <= this.lastSeq)
      throw new Error(`MatchReducer.apply: seq ${event.seq} is not after lastSeq ${this.lastSeq}`);
    this.log.push(event);
    this.seqs.add(event.seq);
    if (event.type === 'CORRECTION') {
      const folded = foldState(this.meta, this.log);
      this.state = folded.state;
      this.cancelled = folded.cancelled;
      return;
    }
    stepEvent(this.state, this.rules, event, 'apply');
  }

  events(): readonly FoldableEvent[] {
    return this.log;
  }
}

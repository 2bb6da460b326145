/**
 * Which events are in effect, kept up to date as corrections arrive, so that a new
 * CORRECTION costs what it changes and not the length of the match. The verdicts are
 * exactly those of resolveCorrections (corrections.ts: one reverse pass, an event is
 * cancelled when a later, itself effective, correction names it), with each
 * cancellation's canceller remembered.
 *
 * Appending correction C (the newest event) changes the verdicts along one chain only:
 * C cancels its target t; if t was itself an effective correction, its target loses
 * its canceller, which passes to the latest other correction naming it that is not
 * cancelled, or the target comes back into effect (and, if it is a correction, takes
 * effect on its own target), and so on downwards. `plan` walks that chain and returns
 * the events whose disposition changes; the reducer refolds from the lowest of them.
 */
import type { FoldableEvent } from './types.js';

export type Verdict = 'apply' | 'cancelled' | 'refused';

/** The verdict changes one new correction brings, not applied yet. */
export interface CorrectionPlan {
  /** Seqs whose disposition changes (the new correction's own included). */
  changed: Set<number>;
  /** The lowest of them. */
  lowest: number;
  by: Map<number, number | null>;
  refused: Map<number, boolean>;
}

/** Thrown inside a plan when a change falls below the floor (caught in plan). */
const BELOW_FLOOR = new Error('below floor');

export class CorrectionIndex {
  /** Cancelled seq -> the effective correction cancelling it. */
  private readonly by = new Map<number, number>();
  /** Corrections refused (damaged, unknown or later target, target already cancelled by a later one). */
  private readonly refused = new Set<number>();
  /** Target seq -> the corrections naming it, ascending. */
  private readonly namedBy = new Map<number, number[]>();

  /** `events` sorted by seq without duplicates; `eventOf` finds an event of the history by seq. */
  constructor(
    events: readonly FoldableEvent[],
    private readonly eventOf: (seq: number) => FoldableEvent | undefined,
  ) {
    for (const e of events) this.name(e);
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type !== 'CORRECTION' || this.by.has(e.seq)) continue;
      const target = this.targetOf(e);
      if (target === undefined || this.by.has(target)) this.refused.add(e.seq);
      else this.by.set(target, e.seq);
    }
  }

  isCancelled(seq: number): boolean {
    return this.by.has(seq);
  }

  verdict(seq: number): Verdict {
    return this.by.has(seq) ? 'cancelled' : this.refused.has(seq) ? 'refused' : 'apply';
  }

  /** A valid target of this correction: a known earlier event; undefined when damaged, later or unknown. */
  private targetOf(e: FoldableEvent | undefined): number | undefined {
    if (!e || e.type !== 'CORRECTION') return undefined;
    const target = (e.payload as { undoes?: unknown } | undefined)?.undoes;
    if (typeof target !== 'number' || target >= e.seq || !this.eventOf(target)) return undefined;
    return target;
  }

  private name(e: FoldableEvent): void {
    if (e.type !== 'CORRECTION') return;
    const target = (e.payload as { undoes?: unknown } | undefined)?.undoes;
    if (typeof target !== 'number' || target >= e.seq) return;
    const list = this.namedBy.get(target);
    if (list) list.push(e.seq);
    else this.namedBy.set(target, [e.seq]);
  }

  /**
   * What appending `correction` (newer than every event, already findable by eventOf)
   * changes. With `floor`: null as soon as a change would fall below that seq, so the
   * cost of asking is bounded by what is allowed to change.
   */
  plan(correction: FoldableEvent, floor = -Infinity): CorrectionPlan | null {
    const p: CorrectionPlan = { changed: new Set(), lowest: correction.seq, by: new Map(), refused: new Map() };
    const by = (seq: number) => (p.by.has(seq) ? p.by.get(seq)! : (this.by.get(seq) ?? null));
    const refused = (seq: number) => (p.refused.has(seq) ? p.refused.get(seq)! : this.refused.has(seq));
    const change = (seq: number) => {
      if (seq < floor) throw BELOW_FLOOR;
      p.changed.add(seq);
      if (seq < p.lowest) p.lowest = seq;
    };
    const named = (target: number) => {
      const list = this.namedBy.get(target) ?? [];
      return correction.type === 'CORRECTION' && this.targetOf(correction) === target
        ? [...list, correction.seq]
        : list;
    };
    /** `x` was just cancelled: if it was an effective correction, its target loses its canceller. Returns the next link. */
    const lost = (x: number): number | null => {
      const event = this.eventOf(x);
      if (!event || event.type !== 'CORRECTION') return null;
      if (refused(x)) {
        p.refused.set(x, false); // refused -> cancelled: it had no effect to lose
        return null;
      }
      const y = this.targetOf(event);
      if (y === undefined) return null;
      const list = named(y);
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i]!;
        if (c >= x) continue;
        if (c <= y) break;
        if (by(c) === null) {
          // The latest other correction of y that is in effect now cancels it (it was refused: y was cancelled).
          change(c);
          p.refused.set(c, false);
          p.by.set(y, c);
          return null;
        }
      }
      change(y);
      p.by.set(y, null);
      return gained(y);
    };
    /** `y` is in effect again (it was skipped as cancelled): a correction takes effect on its own target. */
    const gained = (y: number): number | null => {
      const event = this.eventOf(y);
      if (!event || event.type !== 'CORRECTION') return null;
      const z = this.targetOf(event);
      const d = z === undefined ? null : by(z);
      if (z === undefined || (d !== null && d > y)) {
        p.refused.set(y, true);
        return null;
      }
      p.by.set(z, y);
      if (d !== null) {
        // An earlier correction of z was its canceller: y comes first in the reverse pass now.
        change(d);
        p.refused.set(d, true);
        return null;
      }
      change(z);
      return -z - 1; // z was just cancelled: continue with lost(z)
    };
    try {
      change(correction.seq);
      const t = this.targetOf(correction);
      if (t === undefined) {
        p.refused.set(correction.seq, true);
        return p;
      }
      const previous = by(t);
      p.by.set(t, correction.seq);
      if (previous !== null) {
        // t stays cancelled, now by the newest correction: the old canceller is refused.
        change(previous);
        p.refused.set(previous, true);
        return p;
      }
      change(t);
      // The chain, iteratively (it may be long): lost(x) -> gained(y) -> lost(z) ...
      let next: number | null = lost(t);
      while (next !== null) next = lost(-next - 1);
      return p;
    } catch (error) {
      if (error === BELOW_FLOOR) return null;
      throw error;
    }
  }

  /** Takes the plan's verdicts in, once `correction` is part of the history. */
  commit(correction: FoldableEvent, p: CorrectionPlan): void {
    this.name(correction);
    for (const [seq, canceller] of p.by) {
      if (canceller === null) this.by.delete(seq);
      else this.by.set(seq, canceller);
    }
    for (const [seq, isRefused] of p.refused) {
      if (isRefused) this.refused.add(seq);
      else this.refused.delete(seq);
    }
  }
}

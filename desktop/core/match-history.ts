/**
 * Undo and redo over an append-only log (pure). Nothing is ever deleted: undo appends a
 * CORRECTION of the newest event still in effect, redo appends a CORRECTION of that correction.
 */
import type { MatchEvent } from '../../shared/events.js';

type HistoryEvent = Pick<MatchEvent, 'seq' | 'type' | 'payload'>;

/** Seq that undo() would cancel: the newest non-correction event that is neither cancelled nor ignored. */
export function undoTarget(
  events: readonly HistoryEvent[],
  cancelled: ReadonlySet<number>,
  ignored: ReadonlySet<number>,
): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'CORRECTION' && !cancelled.has(e.seq) && !ignored.has(e.seq)) return e.seq;
  }
  return null;
}

/**
 * Corrections that redo() would cancel again, newest last. An undo pushes its correction; a
 * redo removes the correction it cancels; any new scoring event clears the stack, as in every
 * editor: after a new point, redoing an older undo would rewrite history the operator moved past.
 */
export function redoStack(events: readonly HistoryEvent[], cancelled: ReadonlySet<number>): number[] {
  const kind = new Map<number, string>();
  let stack: number[] = [];
  for (const e of events) {
    kind.set(e.seq, e.type);
    if (e.type !== 'CORRECTION') {
      stack = [];
      continue;
    }
    const target = (e.payload as { undoes: number }).undoes;
    if (kind.get(target) === 'CORRECTION') stack = stack.filter((s) => s !== target);
    else stack.push(e.seq);
  }
  return stack.filter((s) => !cancelled.has(s));
}

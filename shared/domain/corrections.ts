/**
 * Corrections: a CORRECTION {undoes: seq} cancels an earlier event without deleting it;
 * correcting a correction re-applies its target (redo). Which events are in effect is
 * decided in one reverse pass: walking from the newest event back, an event is
 * cancelled when a later, itself effective, correction named it. Linear in the history.
 */
import type { FoldableEvent } from './types.js';

export interface CorrectionVerdicts {
  /** Seqs cancelled by an effective correction. */
  cancelled: Set<number>;
  /** Corrections refused: unknown, not earlier, or already-cancelled target. */
  refused: Set<number>;
}

/** `events` sorted by seq without duplicates. */
export function resolveCorrections(events: readonly FoldableEvent[]): CorrectionVerdicts {
  const cancelled = new Set<number>();
  const refused = new Set<number>();
  let hasCorrection = false;
  for (const e of events) {
    if (e.type === 'CORRECTION') {
      hasCorrection = true;
      break;
    }
  }
  if (!hasCorrection) return { cancelled, refused };
  const known = new Set<number>();
  for (const e of events) known.add(e.seq);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'CORRECTION' || cancelled.has(e.seq)) continue;
    const target = e.payload?.undoes;
    if (typeof target !== 'number') {
      refused.add(e.seq); // damaged: malformed() refuses it again in the fold
      continue;
    }
    // A later effective correction already cancelled the target: this one is redundant.
    if (target >= e.seq || !known.has(target) || cancelled.has(target)) refused.add(e.seq);
    else cancelled.add(target);
  }
  return { cancelled, refused };
}

/** Why a new correction (appended after `lastSeq`) is refused, or null. */
export function checkCorrection(
  undoes: number,
  seq: number,
  isKnown: (seq: number) => boolean,
  isCancelled: (seq: number) => boolean,
): string | null {
  if (undoes >= seq) return `payload.undoes: ${undoes} is not an earlier event (this is seq ${seq})`;
  if (!isKnown(undoes)) return `payload.undoes: no event with seq ${undoes} in this match`;
  if (isCancelled(undoes)) return `payload.undoes: event ${undoes} is already cancelled`;
  return null;
}

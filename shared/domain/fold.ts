/**
 * foldMatch: the match snapshot as a pure function of the meta and the events.
 * Never throws on a stored history: events the rules refuse at their point in the
 * history (possible after corrections) are skipped and listed in ignoredSeqs.
 */
import type { MatchMeta, MatchSnapshot } from '../match.js';
import { resolveCorrections } from './corrections.js';
import { malformed } from './shape.js';
import { checkEvent, applyEvent } from './rules.js';
import { rulesFor } from './sports/index.js';
import { createState, toSnapshot, type MatchState } from './state.js';
import type { FoldableEvent, SportRules } from './types.js';

function hasSeq(e: FoldableEvent): boolean {
  return typeof e === 'object' && e !== null && Number.isSafeInteger(e.seq) && e.seq >= 1;
}

/** Events by ascending seq, one per seq (the first wins: storage never holds two). */
export function orderedEvents(input: readonly FoldableEvent[]): FoldableEvent[] {
  // Without a usable seq an event has no place in the history at all.
  const events = input.every(hasSeq) ? input : input.filter(hasSeq);
  let sorted = true;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.seq <= events[i - 1]!.seq) {
      sorted = false;
      break;
    }
  }
  if (sorted) return events.slice();
  const copy = events.map((e, i) => ({ e, i }));
  copy.sort((a, b) => a.e.seq - b.e.seq || a.i - b.i);
  const out: FoldableEvent[] = [];
  for (const { e } of copy) if (out.length === 0 || out[out.length - 1]!.seq !== e.seq) out.push(e);
  return out;
}

/** How one event is taken into the state. */
export type Disposition = 'apply' | 'cancelled' | 'refused';

/** Folds one event in: bookkeeping always, effect only when the rules accept it. */
export function stepEvent(s: MatchState, rules: SportRules, e: FoldableEvent, disposition: Disposition): void {
  s.seq = e.seq;
  if (e.cursor !== undefined && e.cursor > s.cursor) s.cursor = e.cursor;
  if (e.epoch !== undefined) s.epoch = e.epoch;
  s.updatedAt = e.at;
  // What calls for the officials (change ends, an interval) lasts until the next event.
  s.changeEnds = false;
  s.interval = null;
  if (disposition === 'cancelled') {
    s.cancelled.push(e.seq);
    return;
  }
  if (disposition === 'refused' || malformed(e) !== null || checkEvent(s, rules, e) !== null) {
    s.ignored.push(e.seq);
    return;
  }
  applyEvent(s, rules, e);
}

/** The working state after `events` (sorted by seq, no duplicates), and the cancelled seqs. */
export function foldState(
  meta: MatchMeta,
  events: readonly FoldableEvent[],
): { state: MatchState; cancelled: Set<number> } {
  const rules = rulesFor(meta.sport);
  const state = createState(meta);
  const { cancelled, refused } = resolveCorrections(events);
  for (const e of events) {
    const disposition: Disposition = cancelled.has(e.seq) ? 'cancelled' : refused.has(e.seq) ? 'refused' : 'apply';
    stepEvent(state, rules, e, disposition);
  }
  return { state, cancelled };
}

/** Fold a whole history into the snapshot. Same input, byte-identical JSON output. */
export function foldMatch(meta: MatchMeta, events: readonly FoldableEvent[]): MatchSnapshot {
  return toSnapshot(meta, foldState(meta, orderedEvents(events)).state);
}

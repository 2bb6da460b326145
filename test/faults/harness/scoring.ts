/** Realistic scoring events for fault and load runs (randomness: test/support/random.ts). */
import type { MatchEvent } from '../../../shared/events.js';

export type EventDraft = Pick<MatchEvent, 'type' | 'payload'>;

/**
 * The n-th event (1-based) of a generic match: a start, then mostly points, now and then
 * a note, a foul or a correction of the previous point. Never an end, so any number of
 * events stays valid under the rules.
 */
export function scoringEvent(n: number, random: () => number): EventDraft {
  if (n === 1) return { type: 'MATCH_START', payload: {} } as EventDraft;
  const roll = random();
  const side = random() < 0.5 ? 'home' : 'away';
  if (roll < 0.04) return { type: 'EVENT_ADDED', payload: { kind: 'note', text: `note ${n}` } } as EventDraft;
  if (roll < 0.08) return { type: 'EVENT_ADDED', payload: { kind: 'foul', side } } as EventDraft;
  if (roll < 0.1 && n > 2) return { type: 'CORRECTION', payload: { undoes: n - 1 } } as EventDraft;
  return { type: 'SCORE_UPDATE', payload: { side } } as EventDraft;
}

export function toEvent(seq: number, draft: EventDraft, at = new Date()): MatchEvent {
  return { seq, type: draft.type, payload: draft.payload, at: at.toISOString() } as MatchEvent;
}

/** What a /live server sends, as the NodeCG extension's tests build it: a snapshot and a stored event at a cursor. */
import type { StoredEvent } from '../../../shared/events.js';
import type { LiveSnapshot } from '../../../shared/live-messages.js';

/** A live generic match on court 1 whose home score is its cursor. */
export function liveSnapshot(id: string, cursor: number, extra: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    id,
    sport: 'generic',
    court: '1',
    status: 'live',
    home: { name: 'H', score: cursor },
    away: { name: 'A', score: 0 },
    cursor,
    updatedAt: null,
    seq: cursor,
    epoch: 0,
    ...extra,
  };
}

/** A home point stored at `cursor`. */
export function storedEvent(matchId: string, cursor: number, seq = cursor): StoredEvent {
  return {
    cursor,
    matchId,
    consoleId: 'c',
    seq,
    epoch: 0,
    type: 'SCORE_UPDATE',
    payload: { side: 'home' },
    at: '2026-12-01T10:00:00.000Z',
  };
}

import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/protocol.js';
import { PUSH_CHUNK_EVENTS, PUSH_MAX_BYTES } from '../constants.js';
import { withinBytes } from './outbox-drain.js';

describe('push chunks', () => {
  const note = (seq: number) => ({
    seq,
    type: 'EVENT_ADDED',
    payload: { kind: 'note', player: 'p'.repeat(200), playerIn: 'q'.repeat(200), text: 't'.repeat(200) },
    at: '2026-11-28T10:00:00.000Z',
  });

  it('never builds a push over the server message limit, even of the longest events', () => {
    const events = Array.from({ length: PUSH_CHUNK_EVENTS }, (_, i) => note(i + 1));
    expect(Buffer.byteLength(JSON.stringify(events))).toBeGreaterThan(LIMITS.MAX_MESSAGE_BYTES);
    const chunk = withinBytes(events, PUSH_MAX_BYTES);
    expect(chunk.length).toBeGreaterThan(100);
    expect(chunk.length).toBeLessThan(events.length);
    expect(Buffer.byteLength(JSON.stringify({ matchId: 'm', epoch: 0, events: chunk }))).toBeLessThan(
      LIMITS.MAX_MESSAGE_BYTES,
    );
    expect(chunk).toEqual(events.slice(0, chunk.length));
  });

  it('keeps small events whole and always sends at least one', () => {
    const small = Array.from({ length: 500 }, (_, i) => ({ seq: i + 1 }));
    expect(withinBytes(small, PUSH_MAX_BYTES)).toHaveLength(500);
    expect(withinBytes([note(1)], 10)).toHaveLength(1);
  });
});

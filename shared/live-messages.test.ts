/** The /live message schemas: what the server sends passes, extra fields are tolerated, bad events are refused by name. */
import { describe, expect, it } from 'vitest';
import { matchUpdateSchema, subscribeCourtsAckSchema } from './live-messages.js';
import { describeZodError } from './protocol.js';

const snapshot = {
  id: 'm1',
  sport: 'generic',
  court: '1',
  status: 'live',
  home: { name: 'H', score: 1 },
  away: { name: 'A', score: 0 },
  cursor: 7,
  updatedAt: '2026-12-01T10:00:00.000Z',
  seq: 2,
  epoch: 0,
  scheduledAt: null,
  clock: { running: false, remainingMs: 0, anchorAt: null },
};
const update = {
  matchId: 'm1',
  baseCursor: 6,
  cursor: 7,
  events: [
    {
      cursor: 7,
      matchId: 'm1',
      consoleId: 'c1',
      seq: 2,
      epoch: 0,
      type: 'SCORE_UPDATE',
      payload: { side: 'home' },
      at: '2026-12-01T10:00:00.000+02:00',
    },
  ],
  snapshot,
  freshness: { lastEventAt: '2026-12-01T10:00:00.000Z', lastStoredAt: null, consoleOnline: true },
};

describe('live message schemas', () => {
  it('accepts an update as the server sends it, sport details and added fields included', () => {
    const parsed = matchUpdateSchema.parse({ ...update, freshness: { ...update.freshness, verified: null } });
    expect(parsed.snapshot).toMatchObject({ clock: { running: false } });
    expect(subscribeCourtsAckSchema.parse({ ok: true, snapshots: [snapshot] }).ok).toBe(true);
    expect(subscribeCourtsAckSchema.parse({ ok: false, code: 'UNAVAILABLE', message: 'retry' }).ok).toBe(false);
  });

  it('refuses a malformed event or snapshot, naming the field', () => {
    const badEvent = { ...update, events: [{ ...update.events[0], payload: { side: 'middle' } }] };
    const result = matchUpdateSchema.safeParse(badEvent);
    expect(result.success).toBe(false);
    expect(describeZodError(result.error!)).toMatch(/^events\.0\.payload\.side/);
    const badCursor = matchUpdateSchema.safeParse({ ...update, snapshot: { ...snapshot, cursor: '7' } });
    expect(describeZodError(badCursor.error!)).toMatch(/^snapshot\.cursor/);
  });
});

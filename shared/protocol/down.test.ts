/**
 * The server-to-client schemas: what the fold and the server produce passes unchanged, a
 * newer server's extra fields are dropped (not refused), and malformed messages are refused
 * naming the field.
 */
import { describe, expect, it } from 'vitest';
import { foldMatch } from '../domain/index.js';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';
import type { StoredEvent } from '../events.js';
import { SPORTS } from '../events.js';
import {
  consolePresenceSchema,
  matchSnapshotSchema,
  matchUpdateSchema,
  pullAckSchema,
  pullPageProblem,
  pushAckSchema,
  receive,
  verifyPushAckSchema,
} from '../protocol.js';

const meta = testMeta('tennis', { bestOf: 3 });
const stored = (seq: number, cursor: number, over: Partial<StoredEvent> = {}): StoredEvent =>
  ({
    seq,
    cursor,
    matchId: meta.id,
    consoleId: 'c1',
    epoch: 0,
    type: 'SCORE_UPDATE',
    payload: { side: 'home' },
    at: '2026-05-01T10:00:00.000Z',
    ...over,
  }) as StoredEvent;

describe('snapshot schema', () => {
  it("passes every sport's fold unchanged", () => {
    for (const sport of SPORTS) {
      const scorer = new Scorer(testMeta(sport)).start().point('home').point('away').point('home');
      expect(matchSnapshotSchema.parse(scorer.snap)).toEqual(scorer.snap);
    }
    const empty = foldMatch(meta, []);
    expect(matchSnapshotSchema.parse(empty)).toEqual(empty);
  });

  it("drops a newer server's fields instead of refusing the message", () => {
    const snap = { ...foldMatch(meta, []), brandNew: 1, options: { bestOf: 3, laterOption: true } };
    const parsed = matchSnapshotSchema.parse(snap);
    expect(parsed).not.toHaveProperty('brandNew');
    expect(parsed.options).toEqual({ bestOf: 3 });
  });

  it('refuses a malformed snapshot naming the field', () => {
    const bad = { ...foldMatch(meta, []), cursor: '7' };
    expect(receive(matchSnapshotSchema, bad, 'snapshot')).toEqual({
      ok: false,
      message: expect.stringMatching(/^malformed snapshot from the server: cursor: /),
    });
  });
});

describe('acks and updates', () => {
  const pull = { ok: true, events: [stored(1, 5)], upToDate: true, epoch: 0, meta, writerOnline: null };

  it('a pull ack passes; an unknown event type, a bad payload or a missing meta does not', () => {
    expect(pullAckSchema.parse(pull)).toEqual(pull);
    const refusals = [
      { ...pull, events: [{ ...stored(1, 5), type: 'POINT_MAYBE' }] },
      { ...pull, events: [{ ...stored(1, 5), payload: { side: 'middle' } }] },
      { ...pull, events: [{ ...stored(1, 5), cursor: -1 }] },
      { ...pull, meta: undefined },
      { ...pull, epoch: 'zero' },
      { ok: 'yes' },
      null,
    ];
    for (const raw of refusals) expect(pullAckSchema.safeParse(raw).success).toBe(false);
    // A refusal is an ack too.
    expect(pullAckSchema.parse({ ok: false, code: 'UNKNOWN_MATCH', message: 'no match' }).ok).toBe(false);
  });

  it('an official push ack needs its cursor; a verify push ack has none', () => {
    expect(pushAckSchema.safeParse({ ok: true, ackedSeq: 3 }).success).toBe(false);
    expect(verifyPushAckSchema.parse({ ok: true, ackedSeq: 3 })).toEqual({ ok: true, ackedSeq: 3 });
    expect(pushAckSchema.parse({ ok: false, code: 'GAP', message: 'gap', expectedSeq: 2 })).toMatchObject({
      expectedSeq: 2,
    });
    expect(pushAckSchema.safeParse({ ok: false, code: 'NEW_CODE', message: 'x' }).success).toBe(false);
  });

  it('a MATCH_UPDATE passes as the server builds it', () => {
    const snapshot = new Scorer(meta).start().point('home').snap;
    const update = {
      matchId: meta.id,
      baseCursor: 0,
      cursor: 2,
      events: [stored(1, 1, { type: 'MATCH_START', payload: {} }), stored(2, 2)],
      snapshot,
      freshness: { lastEventAt: '2026-05-01T10:00:02.000Z', lastStoredAt: null, consoleOnline: true, verified: null },
    };
    expect(matchUpdateSchema.parse(update)).toEqual(update);
  });

  it('presence states are the union: a free string is refused', () => {
    const presence = {
      consoleId: 'c1',
      user: 'desk',
      court: '1',
      matchId: null,
      pending: 0,
      lastConfirmedAt: null,
      state: 'connected',
      online: true,
      since: '2026-05-01T10:00:00.000Z',
    };
    expect(consolePresenceSchema.parse(presence).state).toBe('connected');
    expect(consolePresenceSchema.safeParse({ ...presence, state: 'synced' }).success).toBe(false);
  });
});

describe('pull pages', () => {
  const asked = { matchId: meta.id, after: 4 };
  const page = (events: StoredEvent[]) => ({ ok: true as const, events, upToDate: true, epoch: 0, meta });

  it('hold when ascending, of the match asked for, after the cursor asked for', () => {
    expect(pullPageProblem(asked, page([stored(1, 5), stored(2, 9)]))).toBeNull();
    expect(pullPageProblem(asked, page([]))).toBeNull();
  });

  it("name what the schema cannot see: another match's event, a cursor or seq out of order, another meta", () => {
    expect(pullPageProblem(asked, page([stored(1, 5, { matchId: 'other' })]))).toMatch(/^events\.0\.matchId/);
    expect(pullPageProblem(asked, page([stored(1, 4)]))).toMatch(/^events\.0\.cursor: 4 does not follow 4/);
    expect(pullPageProblem(asked, page([stored(1, 5), stored(2, 5)]))).toMatch(/^events\.1\.cursor/);
    expect(pullPageProblem(asked, page([stored(2, 5), stored(2, 6)]))).toMatch(/^events\.1\.seq/);
    expect(pullPageProblem({ ...asked, afterSeq: 2 }, page([stored(2, 5)]))).toMatch(/^events\.0\.seq/);
    expect(pullPageProblem(asked, { ...page([]), meta: { ...meta, id: 'other' } })).toMatch(/^meta\.id/);
  });
});

/** planPush against a real MatchReducer (pure: no database, no sockets). */
import { describe, expect, it } from 'vitest';
import { MatchReducer } from '../../shared/domain/index.js';
import type { MatchEvent } from '../../shared/events.js';
import type { MatchMeta } from '../../shared/match.js';
import { MatchState } from './match-state.js';
import { canonicalJson } from '../../shared/same-event.js';
import { planPush } from './validate-push.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const meta: MatchMeta = {
  id: 'm1',
  sport: 'generic',
  court: 'C',
  home: { name: 'H' },
  away: { name: 'A' },
  scheduledAt: null,
  slotMinutes: null,
  options: {},
};

const at = (i: number) => `2026-11-28T10:00:${String(i).padStart(2, '0')}.000Z`;
const start: MatchEvent = { seq: 1, type: 'MATCH_START', payload: {}, at: at(1) };
const score = (seq: number, side: 'home' | 'away' = 'home'): MatchEvent => ({
  seq,
  type: 'SCORE_UPDATE',
  payload: { side },
  at: at(seq),
});

function state(opts: { writer?: string | null; epoch?: number; events?: MatchEvent[]; origin?: string } = {}) {
  const events = (opts.events ?? []).map((e, i) => ({
    ...e,
    cursor: i + 1,
    matchId: 'm1',
    consoleId: opts.origin ?? A,
    epoch: 0,
  }));
  return new MatchState(meta, new MatchReducer(meta, events), {
    epoch: opts.epoch ?? 0,
    writerConsoleId: opts.writer === undefined ? A : opts.writer,
    events,
    lastStoredAt: null,
  });
}

describe('planPush', () => {
  it('accepts the next events and applies them tentatively', () => {
    const s = state({ events: [start] });
    const plan = planPush(s, { epoch: 0, events: [score(2), score(3)] }, A);
    expect(plan).toMatchObject({ kind: 'accept', ackedSeq: 3, duplicates: 0 });
    expect(s.reducer.lastSeq).toBe(3);
    expect(s.committedSeq).toBe(1);
  });

  it('acknowledges resends of the same events as duplicates, refuses changed ones', () => {
    const s = state({ events: [start, score(2)] });
    expect(planPush(s, { epoch: 0, events: [start, score(2)] }, A)).toMatchObject({
      kind: 'accept',
      fresh: [],
      duplicates: 2,
      ackedSeq: 2,
    });
    expect(planPush(s, { epoch: 0, events: [score(2, 'away')] }, A)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'CONFLICT' },
    });
    expect(planPush(s, { epoch: 0, events: [score(2)] }, B)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'STALE_EPOCH' },
    });
  });

  it('refuses gaps with the expected seq and non-consecutive pushes', () => {
    const s = state({ events: [start] });
    expect(planPush(s, { epoch: 0, events: [score(4)] }, A)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'GAP', expectedSeq: 2 },
    });
    expect(planPush(s, { epoch: 0, events: [score(2), score(4)] }, A)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'VALIDATION' },
    });
    expect(s.reducer.lastSeq).toBe(1);
  });

  it('asks to claim an unclaimed match, to reload on a newer epoch, and fences others', () => {
    expect(planPush(state({ writer: null }), { epoch: 0, events: [start] }, A)).toEqual({ kind: 'claim' });
    expect(planPush(state({ epoch: 1 }), { epoch: 2, events: [start] }, A)).toEqual({ kind: 'reload' });
    expect(planPush(state({ epoch: 2 }), { epoch: 1, events: [start] }, A)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'STALE_EPOCH', epoch: 2 },
    });
    expect(planPush(state(), { epoch: 0, events: [start] }, B)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'STALE_EPOCH' },
    });
  });

  it('stores the prefix the rules accept and reports the refused event after it', () => {
    const s = state();
    const end: MatchEvent = { seq: 2, type: 'MATCH_END', payload: {}, at: at(2) };
    const plan = planPush(s, { epoch: 0, events: [start, end, score(3)] }, A);
    expect(plan).toMatchObject({ kind: 'accept', ackedSeq: 2, failAfter: { code: 'RULES' } });
    expect(s.reducer.lastSeq).toBe(2);
    // Refused as the first event of the push: nothing to wait for, the answer is immediate.
    const after = state({ events: [start, end] });
    expect(planPush(after, { epoch: 0, events: [score(3)] }, A)).toMatchObject({
      kind: 'refuse',
      fail: { code: 'RULES' },
    });
  });

  it('compares payloads regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [1, { f: 1, e: 2 }] } })).toBe(
      canonicalJson({ a: { c: [1, { e: 2, f: 1 }], d: 2 }, b: 1 }),
    );
  });
});

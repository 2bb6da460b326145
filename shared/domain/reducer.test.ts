import { describe, expect, it } from 'vitest';
import { foldMatch } from './fold.js';
import { MatchReducer } from './reducer.js';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';

describe('MatchReducer', () => {
  it('refuses a gap or a repeated seq with GAP and the expected seq', () => {
    const s = new Scorer(testMeta('generic')).start();
    const ahead = { seq: 3, type: 'MATCH_PAUSE', payload: {}, at: '2026-05-01T10:00:00Z' } as const;
    expect(s.reducer.check(ahead)).toEqual({ ok: false, code: 'GAP', message: 'seq: expected 2, got 3' });
    expect(s.reducer.check({ ...ahead, seq: 1 })).toMatchObject({ ok: false, code: 'GAP' });
    expect(s.reducer.check({ ...ahead, seq: 2 })).toEqual({ ok: true });
  });

  it('check changes nothing; apply of a stale seq throws', () => {
    const s = new Scorer(testMeta('generic')).start();
    const before = JSON.stringify(s.snap);
    s.try({ type: 'SCORE_UPDATE', payload: { side: 'home' } });
    expect(JSON.stringify(s.snap)).toBe(before);
    expect(() => s.reducer.apply({ seq: 1, type: 'MATCH_PAUSE', payload: {}, at: '2026-05-01T10:00:00Z' })).toThrow(
      /not after lastSeq 1/,
    );
  });

  it('keeps a committed event the rules refuse, as the fold does', () => {
    const s = new Scorer(testMeta('generic')).start();
    s.reducer.apply({ seq: 2, type: 'MATCH_RESUME', payload: {}, at: '2026-05-01T10:00:00Z', cursor: 17, epoch: 2 });
    expect(s.snap.ignoredSeqs).toEqual([2]);
    expect(s.snap).toMatchObject({ seq: 2, cursor: 17, epoch: 2, status: 'live' });
    expect(JSON.stringify(s.snap)).toBe(JSON.stringify(foldMatch(s.reducer.meta, s.reducer.events())));
  });

  it('built from a history, it equals the fold and carries on from it', () => {
    const s = new Scorer(testMeta('tennis'))
      .start()
      .run('home', 5)
      .send({ type: 'CORRECTION', payload: { undoes: 3 } });
    const rebuilt = new MatchReducer(s.reducer.meta, s.reducer.events());
    expect(JSON.stringify(rebuilt.snapshot())).toBe(JSON.stringify(s.snap));
    expect(rebuilt.lastSeq).toBe(7);
    expect(
      rebuilt.check({ seq: 8, type: 'CORRECTION', payload: { undoes: 3 }, at: '2026-05-01T10:00:00Z' }),
    ).toMatchObject({ ok: false, code: 'RULES' });
  });

  it('the fold takes events in seq order whatever order they come in, once per seq', () => {
    const s = new Scorer(testMeta('badminton')).start().rallies('hhaah');
    const events = s.reducer.events();
    const shuffled = [events[3]!, events[0]!, events[5]!, events[1]!, events[3]!, events[4]!, events[2]!];
    expect(JSON.stringify(foldMatch(s.reducer.meta, shuffled))).toBe(JSON.stringify(s.snap));
  });
});

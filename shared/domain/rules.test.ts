import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../test/support/domain-scorer.js';

const point = { type: 'SCORE_UPDATE', payload: { side: 'home' } } as const;

function refusal(s: Scorer, draft: Parameters<Scorer['try']>[0]): string {
  const verdict = s.try(draft);
  if (verdict.ok) throw new Error(`expected ${draft.type} to be refused`);
  expect(verdict.code).toBe('RULES');
  return verdict.message;
}

describe('match lifecycle rules (every sport)', () => {
  it('scores only while live', () => {
    const s = new Scorer(testMeta('generic'));
    expect(refusal(s, point)).toMatch(/no score while the match is scheduled/);
    s.start().send({ type: 'MATCH_PAUSE', payload: { reason: 'injury' } });
    expect(s.snap.status).toBe('paused');
    expect(refusal(s, point)).toMatch(/paused/);
    s.send({ type: 'MATCH_RESUME', payload: {} }).point('home');
    s.send({ type: 'MATCH_END', payload: {} });
    expect(refusal(s, point)).toMatch(/finished/);
    expect(s.snap.home.score).toBe(1);
  });

  it('refuses impossible transitions', () => {
    const s = new Scorer(testMeta('volleyball'));
    expect(refusal(s, { type: 'MATCH_PAUSE', payload: {} })).toMatch(/cannot pause/);
    expect(refusal(s, { type: 'MATCH_RESUME', payload: {} })).toMatch(/not paused/);
    expect(refusal(s, { type: 'MATCH_END', payload: {} })).toMatch(/payload\.winner/);
    s.start();
    expect(refusal(s, { type: 'MATCH_START', payload: {} })).toMatch(/already started/);
    expect(refusal(s, { type: 'MATCH_RESUME', payload: {} })).toMatch(/not paused/);
    s.send({ type: 'MATCH_END', payload: {} });
    expect(refusal(s, { type: 'MATCH_END', payload: {} })).toMatch(/already finished/);
    expect(s.snap.winner).toBeNull(); // abandoned before it was decided
  });

  it('a match that never started can be ended only by forfeit', () => {
    const s = new Scorer(testMeta('tennis')).send({
      type: 'MATCH_END',
      payload: { winner: 'home', reason: 'walkover' },
    });
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('home');
  });

  it('tallies timeouts, fouls and cards per side, and checks their fields', () => {
    const s = new Scorer(testMeta('volleyball'));
    expect(refusal(s, { type: 'EVENT_ADDED', payload: { kind: 'timeout', side: 'home' } })).toMatch(/scheduled/);
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'note', text: 'warm-up' } }).start();
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'timeout', side: 'home' } });
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'card', side: 'away', card: 'yellow', player: '7' } });
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'card', side: 'away', card: 'red', player: '7' } });
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'foul', side: 'home' } });
    s.send({ type: 'EVENT_ADDED', payload: { kind: 'substitution', side: 'home', player: '4', playerIn: '12' } });
    expect(s.snap.tally).toEqual({
      home: { timeouts: 1, fouls: 1, cards: { yellow: 0, red: 0, black: 0 } },
      away: { timeouts: 0, fouls: 0, cards: { yellow: 1, red: 1, black: 0 } },
    });
    expect(refusal(s, { type: 'EVENT_ADDED', payload: { kind: 'timeout' } })).toMatch(/payload\.side/);
    expect(refusal(s, { type: 'EVENT_ADDED', payload: { kind: 'card', side: 'home' } })).toMatch(/payload\.card/);
    expect(refusal(s, { type: 'EVENT_ADDED', payload: { kind: 'foul', side: 'home', card: 'red' } })).toMatch(
      /payload\.card/,
    );
    expect(refusal(s, { type: 'EVENT_ADDED', payload: { kind: 'substitution', side: 'home' } })).toMatch(
      /payload\.player/,
    );
  });

  it('clock events: start, stop, set, with their refusals', () => {
    const s = new Scorer(testMeta('generic')).start();
    expect(refusal(s, { type: 'CLOCK_STOP', payload: { remainingMs: 0 } })).toMatch(/not running/);
    s.send({ type: 'CLOCK_START', payload: { remainingMs: 60_000 } });
    const startedAt = s.snap.updatedAt;
    expect(s.snap.clock).toEqual({ running: true, remainingMs: 60_000, anchorAt: startedAt });
    expect(refusal(s, { type: 'CLOCK_START', payload: { remainingMs: 1 } })).toMatch(/already running/);
    expect(refusal(s, { type: 'CLOCK_SET', payload: { remainingMs: 1 } })).toMatch(/stop the clock/);
    s.send({ type: 'CLOCK_STOP', payload: { remainingMs: 59_000 } });
    expect(s.snap.clock).toMatchObject({ running: false, remainingMs: 59_000 });
    s.send({ type: 'CLOCK_SET', payload: { remainingMs: 30_000 } });
    expect(s.snap.clock).toMatchObject({ running: false, remainingMs: 30_000 });
  });
});

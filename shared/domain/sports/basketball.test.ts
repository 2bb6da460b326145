import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

const endPeriod = { type: 'PERIOD_END', payload: {} } as const;
const nextPeriod = { type: 'PERIOD_START', payload: {} } as const;

function foul(s: Scorer, side: 'home' | 'away', n = 1): Scorer {
  for (let i = 0; i < n; i++) s.send({ type: 'EVENT_ADDED', payload: { kind: 'foul', side } });
  return s;
}

describe('basketball', () => {
  it('counts 1, 2 and 3 point scores and records each quarter', () => {
    const s = new Scorer(testMeta('basketball')).start();
    expect(s.snap.period).toBe(1);
    expect(s.snap.clock).toMatchObject({ running: false, remainingMs: 600_000 });
    s.point('home', 3).point('away', 2).point('away', 1);
    expect([s.snap.home.score, s.snap.away.score]).toEqual([3, 3]);
    s.send(endPeriod);
    expect(s.try({ type: 'SCORE_UPDATE', payload: { side: 'home' } })).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/start the next period/),
    });
    s.send(nextPeriod).point('home', 2);
    expect(s.snap.period).toBe(2);
    expect(s.snap.sets).toEqual([{ home: 3, away: 3 }]);
    expect(s.snap.home.score).toBe(5);
  });

  it('a tie after the fourth quarter goes to overtime, won there', () => {
    const s = new Scorer(testMeta('basketball')).start();
    s.point('home', 2)
      .send(endPeriod)
      .send(nextPeriod)
      .send(endPeriod)
      .send(nextPeriod)
      .send(endPeriod)
      .send(nextPeriod);
    s.point('away', 2).send(endPeriod);
    expect(s.snap.period).toBe(4);
    expect(s.snap.status).toBe('live');
    expect(s.snap.winner).toBeNull();
    const end = s.try({ type: 'MATCH_END', payload: {} });
    expect(end).toMatchObject({ ok: false, code: 'RULES', message: expect.stringMatching(/overtime/) });
    s.send({ type: 'PERIOD_START', payload: { period: 5 } });
    expect(s.snap.period).toBe(5);
    expect(s.snap.clock.remainingMs).toBe(300_000); // overtime is five minutes
    s.point('away', 3).send(endPeriod);
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('away');
    expect(s.snap.sets).toHaveLength(5);
  });

  it('a lead after the fourth quarter finishes the match; no overtime then', () => {
    const s = new Scorer(testMeta('basketball')).start();
    s.send(endPeriod).send(nextPeriod).send(endPeriod).send(nextPeriod).send(endPeriod).send(nextPeriod);
    s.point('home');
    expect(s.try({ type: 'PERIOD_START', payload: {} })).toMatchObject({ ok: false });
    s.send(endPeriod);
    expect(s.snap.status).toBe('finished');
    expect(s.snap.winner).toBe('home');
  });

  it('a level match may end only with a named winner', () => {
    const s = new Scorer(testMeta('basketball')).start();
    s.send({ type: 'MATCH_END', payload: { winner: 'away', reason: 'forfeit' } });
    expect(s.snap.winner).toBe('away');
    expect(s.snap.status).toBe('finished');
  });

  it('team fouls count per quarter, give the bonus, and overtime continues the fourth quarter', () => {
    const s = new Scorer(testMeta('basketball')).start();
    foul(s, 'away', 3);
    expect(s.snap.bonus).toEqual({ home: false, away: false });
    foul(s, 'away');
    expect(s.snap.periodFouls).toEqual({ home: 0, away: 4 });
    expect(s.snap.bonus).toEqual({ home: true, away: false });
    s.send(endPeriod).send(nextPeriod);
    expect(s.snap.periodFouls).toEqual({ home: 0, away: 0 });
    expect(s.snap.tally.away.fouls).toBe(4);
    s.send(endPeriod).send(nextPeriod).send(endPeriod).send(nextPeriod);
    foul(s, 'home', 2).send(endPeriod).send(nextPeriod);
    expect(s.snap.period).toBe(5);
    expect(s.snap.periodFouls).toEqual({ home: 2, away: 0 });
  });

  it('refuses skipping a period and a period end between periods', () => {
    const s = new Scorer(testMeta('basketball')).start();
    expect(s.try({ type: 'PERIOD_START', payload: {} })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/still being played/),
    });
    s.send(endPeriod);
    expect(s.try(endPeriod)).toMatchObject({ ok: false, message: expect.stringMatching(/already ended/) });
    expect(s.try({ type: 'PERIOD_START', payload: { period: 3 } })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/payload\.period: the next period is 2/),
    });
  });
});

/**
 * Basketball v1.1 (FIBA Official Basketball Rules 2024): player fouls and
 * disqualification (Art. 40.1: 5 fouls), team-foul penalty (Art. 41.1.1, 41.2.1: from
 * the 5th team foul of a period, overtime counting with the fourth quarter), time-outs
 * (Art. 18.2.5) and period lengths (Art. 8.1, 8.7).
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';
import { timeoutsLeftAt } from './basketball.js';

const foul = (side: 'home' | 'away', player?: string) => ({
  type: 'EVENT_ADDED' as const,
  payload: player === undefined ? { kind: 'foul' as const, side } : { kind: 'foul' as const, side, player },
});
const timeout = (side: 'home' | 'away') => ({
  type: 'EVENT_ADDED' as const,
  payload: { kind: 'timeout' as const, side },
});
const nextPeriod = (s: Scorer) =>
  s.send({ type: 'PERIOD_END', payload: {} }).send({ type: 'PERIOD_START', payload: {} });

describe('basketball fouls', () => {
  it('40.1: counts fouls per player; at foulLimit the player is disqualified and a further foul refused', () => {
    const s = new Scorer(testMeta('basketball', { foulLimit: 5 })).start();
    for (let i = 0; i < 4; i++) s.send(foul('home', '7'));
    expect(s.snap.tally.home.playerFouls).toEqual({ '7': 4 });
    expect(s.snap.tally.home.disqualified).toEqual([]);
    s.send(foul('home', '7'));
    expect(s.snap.tally.home.disqualified).toEqual(['7']);
    expect(s.try(foul('home', '7'))).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/disqualified/),
    });
    s.send(foul('home', '8')).send(foul('away', '7'));
    expect(s.snap.tally.away.playerFouls).toEqual({ '7': 1 });
  });

  it('41.2.1: penalty once a team has 4 fouls in the period; a new quarter resets, overtime continues Q4', () => {
    const s = new Scorer(testMeta('basketball')).start();
    for (let i = 0; i < 3; i++) s.send(foul('away'));
    expect(s.snap.penalty).toEqual({ home: false, away: false });
    s.send(foul('away'));
    expect(s.snap.penalty).toEqual({ home: false, away: true });
    nextPeriod(s);
    expect(s.snap.penalty).toEqual({ home: false, away: false });
    nextPeriod(nextPeriod(s));
    for (let i = 0; i < 4; i++) s.send(foul('home'));
    s.send({ type: 'PERIOD_END', payload: {} }); // level at 0-0: overtime
    s.send({ type: 'PERIOD_START', payload: {} });
    expect(s.snap.period).toBe(5);
    expect(s.snap.penalty).toEqual({ home: true, away: false });
  });
});

describe('basketball time-outs (FIBA 18.2.5)', () => {
  it('2 in the first half, 3 in the second, 1 per overtime; a further one refused', () => {
    const s = new Scorer(testMeta('basketball')).start();
    expect(s.snap.timeoutsLeft).toEqual({ home: 2, away: 2 });
    s.send(timeout('home'));
    nextPeriod(s);
    s.send(timeout('home'));
    expect(s.snap.timeoutsLeft).toEqual({ home: 0, away: 2 });
    expect(s.try(timeout('home'))).toMatchObject({ code: 'RULES', message: expect.stringMatching(/this half/) });
    nextPeriod(s);
    expect(s.snap.timeoutsLeft).toEqual({ home: 3, away: 3 });
    nextPeriod(s);
    s.send({ type: 'PERIOD_END', payload: {} }).send({ type: 'PERIOD_START', payload: {} });
    expect(s.snap.timeoutsLeft).toEqual({ home: 1, away: 1 });
  });

  it('at most 2 of the second half’s 3 in the last 2:00 of the fourth quarter', () => {
    const s = new Scorer(testMeta('basketball')).start();
    nextPeriod(nextPeriod(nextPeriod(s)));
    expect(s.snap.period).toBe(4);
    s.send({ type: 'CLOCK_SET', payload: { remainingMs: 120_000 } });
    expect(s.snap.timeoutsLeft).toEqual({ home: 2, away: 2 });
    s.send(timeout('away')).send(timeout('away'));
    expect(s.snap.timeoutsLeft).toEqual({ home: 2, away: 0 });
    expect(s.try(timeout('away'))).toMatchObject({ code: 'RULES', message: expect.stringMatching(/last 2:00/) });
  });

  it('a time-out taken before the last 2:00 still counts against the three', () => {
    const s = new Scorer(testMeta('basketball')).start();
    nextPeriod(nextPeriod(s));
    s.send(timeout('home')).send(timeout('home'));
    nextPeriod(s);
    s.send({ type: 'CLOCK_SET', payload: { remainingMs: 90_000 } });
    expect(s.snap.timeoutsLeft).toEqual({ home: 1, away: 2 });
  });

  it('timeoutsLeftAt: a running Q4 clock passing 2:00 with no event shows at most 2, at the display\u2019s now', () => {
    const s = new Scorer(testMeta('basketball')).start();
    nextPeriod(nextPeriod(nextPeriod(s)));
    s.send({ type: 'CLOCK_SET', payload: { remainingMs: 150_000 } }).send({
      type: 'CLOCK_START',
      payload: { remainingMs: 150_000 },
    });
    const started = Date.parse(s.snap.clock.anchorAt!);
    expect(s.snap.timeoutsLeft).toEqual({ home: 3, away: 3 }); // computed at the CLOCK_START, 2:30 left
    expect(timeoutsLeftAt(s.snap, started + 29_000)).toEqual({ home: 3, away: 3 }); // 2:01 left
    expect(timeoutsLeftAt(s.snap, started + 30_000)).toEqual({ home: 2, away: 2 }); // 2:00
    s.send(timeout('home')); // one second after the start: 2:29, not late
    const snap = s.snap;
    expect(timeoutsLeftAt(snap, started + 60_000)).toEqual({ home: 2, away: 2 });
    // Other periods and sports are as the snapshot says.
    const q3 = new Scorer(testMeta('basketball')).start();
    nextPeriod(nextPeriod(q3));
    q3.send({ type: 'CLOCK_SET', payload: { remainingMs: 60_000 } });
    expect(timeoutsLeftAt(q3.snap, started)).toEqual({ home: 3, away: 3 });
  });

  it('8.1 / 8.7: periodMinutes and overtimeMinutes set the clock', () => {
    const s = new Scorer(testMeta('basketball', { periodMinutes: 12, overtimeMinutes: 4 })).start();
    expect(s.snap.clock.remainingMs).toBe(12 * 60_000);
    nextPeriod(nextPeriod(nextPeriod(s)));
    s.send({ type: 'PERIOD_END', payload: {} }).send({ type: 'PERIOD_START', payload: {} });
    expect(s.snap.clock.remainingMs).toBe(4 * 60_000);
  });
});

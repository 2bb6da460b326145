/**
 * Volleyball v1.1: time-outs (FIVB Official Volleyball Rules 15.4.1: two per set;
 * FIVB Beach Volleyball Rules 15.4: one per set), change of ends (18.2.1, 18.2.2; beach
 * 18.2: every 7 points, 5 in the deciding set), intervals (18.1: 3 minutes; beach 1
 * minute) and the deciding-set toss (12.1.2 / beach 7.1) as PERIOD_START {firstServer}.
 */
import { describe, expect, it } from 'vitest';
import { Scorer, testMeta } from '../../../test/support/domain-scorer.js';

const timeout = (side: 'home' | 'away') => ({
  type: 'EVENT_ADDED' as const,
  payload: { kind: 'timeout' as const, side },
});

describe('volleyball indoor', () => {
  it('15.4.1: two time-outs per set, a third refused with RULES, a new set gives two again', () => {
    const s = new Scorer(testMeta('volleyball')).start();
    expect(s.snap.timeoutsLeft).toEqual({ home: 2, away: 2 });
    s.send(timeout('home')).send(timeout('home'));
    expect(s.snap.timeoutsLeft).toEqual({ home: 0, away: 2 });
    expect(s.try(timeout('home'))).toMatchObject({
      ok: false,
      code: 'RULES',
      message: expect.stringMatching(/no time-outs left/),
    });
    s.run('home', 25);
    expect(s.snap.timeoutsLeft).toEqual({ home: 2, away: 2 });
  });

  it('18.1 / 18.2.1: 3-minute interval and change of ends after sets 1-3, none before the tie-break set', () => {
    const s = new Scorer(testMeta('volleyball')).start().run('home', 25);
    expect(s.snap.interval).toEqual({ reason: 'between-sets', seconds: 180 });
    expect(s.snap.changeEnds).toBe(true);
    s.run('away', 25).run('home', 25);
    expect(s.snap.changeEnds).toBe(true);
    s.run('away', 25); // 2-2: a toss decides the fifth set's sides
    expect(s.snap.changeEnds).toBe(false);
    expect(s.snap.interval).toEqual({ reason: 'between-sets', seconds: 180 });
  });

  it('12.1.2: the toss before the deciding set sets its first server; 18.2.2: ends at 8', () => {
    const s = new Scorer(testMeta('volleyball')).start('home').run('home', 25).run('away', 25).run('home', 25);
    expect(s.try({ type: 'PERIOD_START', payload: { firstServer: 'home' } })).toMatchObject({ code: 'RULES' });
    s.run('away', 25);
    s.send({ type: 'PERIOD_START', payload: { period: 5, firstServer: 'away' } });
    expect(s.snap.serving).toBe('away');
    s.run('home', 7);
    expect(s.snap.changeEnds).toBe(false);
    s.point('home');
    expect(s.snap.changeEnds).toBe(true);
  });
});

describe('volleyball beach', () => {
  it('one time-out per set; ends every 7 points, every 5 in the third set; 60 s between sets', () => {
    const s = new Scorer(testMeta('volleyball', { variant: 'beach' })).start();
    s.send(timeout('away'));
    expect(s.try(timeout('away'))).toMatchObject({ code: 'RULES' });
    s.run('home', 6);
    expect(s.snap.changeEnds).toBe(false);
    s.point('away'); // 7 points played
    expect(s.snap.changeEnds).toBe(true);
    s.run('home', 15);
    expect(s.snap.sets).toEqual([{ home: 21, away: 1 }]);
    expect(s.snap.interval).toEqual({ reason: 'between-sets', seconds: 60 });
    s.run('away', 21).run('home', 4);
    expect(s.snap.changeEnds).toBe(false);
    s.point('away');
    expect(s.snap.changeEnds).toBe(true);
  });
});

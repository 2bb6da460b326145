/**
 * The display model against the worked examples of every sport (test/support/display-examples.ts:
 * real folds through shared/domain's rules), and its pieces on their own.
 */
import { describe, expect, it } from 'vitest';
import { SPORTS } from '../events.js';
import { rulesFor } from '../domain/index.js';
import { displayExamples } from '../../test/support/display-examples.js';
import { clockView, scoreboardView } from './scoreboard.js';
import { SPORT_TRAITS, hasClock, hasMultiPoints, isSetSport } from './traits.js';

describe('scoreboardView: worked examples of every sport', () => {
  for (const example of displayExamples()) {
    it(example.name, () => {
      const view = scoreboardView(example.snapshot, example.nowMs);
      const { expected } = example;
      expect(view.statusText).toBe(expected.statusText);
      expect(view.resultText).toBe(expected.resultText ?? '');
      expect(view.periodLabel).toBe(expected.periodLabel);
      expect([view.home.score, view.away.score]).toEqual([expected.home, expected.away]);
      expect(view.clock?.text ?? null).toBe(expected.clock);
      expect(view.pointLabel?.text ?? '').toBe(expected.pointLabel ?? '');
      expect(view.gameLabel?.text ?? '').toBe(expected.gameLabel ?? '');
      if (expected.setsLine !== undefined) expect(view.setsLine).toBe(expected.setsLine);
      if (expected.calls !== undefined) expect(view.calls.map((c) => c.text)).toEqual(expected.calls);
    });
  }

  it('covers every sport', () => {
    const sports = new Set(displayExamples().map((e) => e.snapshot.sport));
    expect([...sports].sort()).toEqual([...SPORTS].sort());
  });
});

describe('clockView', () => {
  const clock = (remainingMs: number, running = false) => ({ running, remainingMs, anchorAt: null });
  it('shows the basketball clock from the start on, even at 0.0, never before it', () => {
    expect(clockView({ sport: 'basketball', status: 'scheduled', clock: clock(0) }, 0)).toBeNull();
    expect(clockView({ sport: 'basketball', status: 'live', clock: clock(600_000) }, 0)?.text).toBe('10:00');
    expect(clockView({ sport: 'basketball', status: 'live', clock: clock(0) }, 0)?.text).toBe('0.0');
  });

  it('shows a generic clock only while it is set, and none in set sports', () => {
    expect(clockView({ sport: 'generic', status: 'live', clock: clock(0) }, 0)).toBeNull();
    expect(clockView({ sport: 'generic', status: 'scheduled', clock: clock(90_000) }, 0)?.text).toBe('1:30');
    expect(clockView({ sport: 'volleyball', status: 'live', clock: clock(90_000, true) }, 0)).toBeNull();
  });
});

describe('sport traits', () => {
  it('agree with the rules: period sports run a clock and take 1-3 points, set sports do not', () => {
    for (const sport of SPORTS) {
      expect(SPORT_TRAITS[sport].shape === 'periods', sport).toBe(rulesFor(sport).periods);
      expect(hasClock(sport), sport).toBe(rulesFor(sport).periods);
      expect(hasMultiPoints(sport), sport).toBe(rulesFor(sport).periods);
      expect(isSetSport(sport), sport).toBe(!rulesFor(sport).periods);
    }
  });
});

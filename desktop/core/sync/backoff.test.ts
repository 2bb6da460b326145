import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoffDelay', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

  it('doubles from the base and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((a) => backoffDelay(a, noJitter));
    expect(delays.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delays.at(-1)).toBe(DEFAULT_BACKOFF.maxMs);
  });

  it('never exceeds the cap or goes below the jitter floor, even for absurd attempts', () => {
    for (const attempt of [0, -3, 1, 50, 2000, Number.MAX_SAFE_INTEGER]) {
      for (const r of [0, 0.25, 0.999999]) {
        const d = backoffDelay(attempt, DEFAULT_BACKOFF, () => r);
        expect(Number.isFinite(d)).toBe(true);
        expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
        expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.baseMs * (1 - DEFAULT_BACKOFF.jitter));
      }
    }
  });

  it('spreads consoles apart: jitter uses the random source across half the window', () => {
    const low = backoffDelay(4, DEFAULT_BACKOFF, () => 0);
    const high = backoffDelay(4, DEFAULT_BACKOFF, () => 1);
    expect(low).toBe(2000);
    expect(high).toBe(4000);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(seen.size).toBeGreaterThan(10);
  });
});

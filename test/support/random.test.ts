import { describe, expect, it } from 'vitest';
import { seededRandom, testRandom, testSeed } from './random.js';

describe('seeded test randomness', () => {
  it('repeats the same draws for the same seed and differs for another', () => {
    const draws = (seed: number) => Array.from({ length: 20 }, seededRandom(seed).next);
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    for (const x of draws(7)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers over the whole closed range', () => {
    const random = seededRandom(1);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("derives a test's generator from the run's seed and the test's name", () => {
    const first = testRandom();
    const again = testRandom();
    expect(first.seed).toBe(again.seed);
    expect(Array.from({ length: 5 }, first.next)).toEqual(Array.from({ length: 5 }, again.next));
    expect(Number.isSafeInteger(testSeed)).toBe(true);
  });
});

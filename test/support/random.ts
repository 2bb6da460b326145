/**
 * The one source of randomness for tests: a seeded PRNG (mulberry32), so a failure can
 * be replayed. The seed is SCOREDESK_TEST_SEED when set, a fresh one otherwise; a test
 * that fails prints it with the command line to replay it.
 */
import { randomInt } from 'node:crypto';
import { expect, onTestFailed } from 'vitest';

export const TEST_SEED_ENV = 'SCOREDESK_TEST_SEED';

export interface TestRandom {
  readonly seed: number;
  /** Uniform in [0, 1), like Math.random. */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

/** The seed of this run: the env variable's, or a fresh one (the same for every call in a file). */
export const testSeed: number = parseSeed(process.env[TEST_SEED_ENV]) ?? randomInt(2 ** 31);

function parseSeed(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`${TEST_SEED_ENV}=${raw}: not a non-negative integer`);
  return seed;
}

/** A generator from `seed` (mulberry32: small, fast, good enough for test schedules). */
export function seededRandom(seed: number): TestRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { seed, next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

/**
 * The generator for the running test (call it inside the test): seeded by the run's seed
 * and the test's name, so one test's draws do not shift when another changes; a failure
 * prints the seed.
 */
export function testRandom(): TestRandom {
  onTestFailed(({ task }) => {
    console.error(`[test seed] "${task.name}" ran with seed ${testSeed}: replay with ${TEST_SEED_ENV}=${testSeed}`);
  });
  const test = expect.getState().currentTestName ?? '';
  return seededRandom((testSeed ^ hash(test)) >>> 0);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

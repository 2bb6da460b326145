/** Chunked per-user counting against a real rate-limiter-flexible limiter (memory store). */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { UserRate } from './user-rate.js';

function counted(points: number) {
  const limiter = new RateLimiterMemory({ points, duration: 60 });
  let calls = 0;
  const consume = limiter.consume.bind(limiter);
  limiter.consume = (key, n) => {
    calls++;
    return consume(key, n);
  };
  return { limiter, calls: () => calls };
}

async function passes(rate: UserRate, key: string, messages: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < messages; i++) if (await rate.allow(key)) ok++;
  return ok;
}

describe('UserRate', () => {
  it('with chunk 1 is exact', async () => {
    const { limiter } = counted(100);
    expect(await passes(new UserRate(limiter, 1), 'u1', 150)).toBe(100);
  });

  it('with chunk 10 writes once per ten messages and overshoots by less than a chunk', async () => {
    const { limiter, calls } = counted(100);
    const rate = new UserRate(limiter, 10);
    const ok = await passes(rate, 'u1', 150);
    expect(ok).toBeGreaterThanOrEqual(100);
    expect(ok).toBeLessThan(110);
    // 100 allowed = 10 writes; the 11th write is refused; after that the block answers locally.
    expect(calls()).toBe(11);
    expect(await passes(rate, 'u1', 50)).toBe(0);
    expect(calls()).toBe(11);
  });

  it('keeps users apart', async () => {
    const { limiter } = counted(20);
    const rate = new UserRate(limiter, 5);
    await passes(rate, 'u1', 100);
    expect(await passes(rate, 'u2', 20)).toBe(20);
  });
});

import { describe, expect, it } from 'vitest';
import { clockRemaining } from './clock.js';

const anchorAt = '2026-05-01T10:00:00.000Z';
const anchorMs = Date.parse(anchorAt);

describe('clockRemaining', () => {
  it('counts a running clock down from its anchor and stops at zero', () => {
    const clock = { running: true, remainingMs: 10_000, anchorAt };
    expect(clockRemaining(clock, anchorMs)).toBe(10_000);
    expect(clockRemaining(clock, anchorMs + 2_500)).toBe(7_500);
    expect(clockRemaining(clock, anchorMs + 60_000)).toBe(0);
  });

  it('shows a stopped clock as it is, and never counts up when "now" is before the anchor', () => {
    expect(clockRemaining({ running: false, remainingMs: 4_000, anchorAt }, anchorMs + 9_999)).toBe(4_000);
    expect(clockRemaining({ running: true, remainingMs: 4_000, anchorAt }, anchorMs - 5_000)).toBe(4_000);
  });

  it('honours the offset of the anchor time', () => {
    const clock = { running: true, remainingMs: 10_000, anchorAt: '2026-05-01T12:00:00.000+02:00' };
    expect(clockRemaining(clock, anchorMs + 1_000)).toBe(9_000);
  });
});

import { describe, expect, it } from 'vitest';
import { formatClock, formatSince, parseClockInput, remainingAt } from './clock.js';

describe('clock display', () => {
  const anchorAt = '2026-11-28T10:00:00.000Z';
  const anchor = Date.parse(anchorAt);

  it('counts down from the anchor while running and never below zero', () => {
    const clock = { running: true, remainingMs: 600_000, anchorAt };
    expect(remainingAt(clock, anchor)).toBe(600_000);
    expect(remainingAt(clock, anchor + 90_500)).toBe(509_500);
    expect(remainingAt(clock, anchor + 700_000)).toBe(0);
    // A display whose clock is behind the console's shows the full time, not more.
    expect(remainingAt(clock, anchor - 5_000)).toBe(600_000);
  });

  it('stands still when stopped or unanchored', () => {
    expect(remainingAt({ running: false, remainingMs: 42_000, anchorAt }, anchor + 10_000)).toBe(42_000);
    expect(remainingAt({ running: true, remainingMs: 42_000, anchorAt: null }, anchor)).toBe(42_000);
  });

  it('formats minutes and the last minute in tenths', () => {
    expect(formatClock(600_000)).toBe('10:00');
    expect(formatClock(61_999)).toBe('1:01');
    expect(formatClock(59_999)).toBe('59.9');
    expect(formatClock(0)).toBe('0.0');
    expect(formatClock(-5)).toBe('0.0');
  });

  it('parses operator input', () => {
    expect(parseClockInput('10:00')).toBe(600_000);
    expect(parseClockInput(' 2:05 ')).toBe(125_000);
    expect(parseClockInput('12')).toBe(720_000);
    expect(parseClockInput('1:75')).toBeNull();
    expect(parseClockInput('abc')).toBeNull();
    expect(parseClockInput('')).toBeNull();
  });

  it('says how long ago the server confirmed', () => {
    const now = anchor + 65_000;
    expect(formatSince(null, now)).toBe('never');
    expect(formatSince(anchorAt, anchor + 500)).toBe('just now');
    expect(formatSince(anchorAt, anchor + 12_000)).toBe('12 s ago');
    expect(formatSince(anchorAt, now)).toBe('1 min ago');
    expect(formatSince(anchorAt, anchor + 7_300_000)).toBe('2 h ago');
    expect(formatSince('garbage', now)).toBe('never');
  });
});

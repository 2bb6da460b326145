import { describe, expect, it } from 'vitest';
import { clockInputText, clockRemaining, clockText, countdownText, parseClockInput } from './clock.js';

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

  it('stands still without a readable anchor, and reads no clock as 0', () => {
    expect(clockRemaining({ running: true, remainingMs: 42_000, anchorAt: null }, anchorMs)).toBe(42_000);
    expect(clockRemaining({ running: true, remainingMs: 42_000, anchorAt: 'nonsense' }, anchorMs)).toBe(42_000);
    expect(clockRemaining(null, anchorMs)).toBe(0);
  });
});

describe('clock text: M:SS from a minute up, tenths below it', () => {
  it('cuts seconds above a minute, as a game clock reads', () => {
    expect(clockText(600_000)).toBe('10:00');
    expect(clockText(599_950)).toBe('9:59');
    expect(clockText(61_999)).toBe('1:01');
    expect(clockText(60_000)).toBe('1:00');
    expect(clockText(90 * 60_000)).toBe('90:00');
  });

  it('shows tenths in the last minute: 59,999 ms is 59.9', () => {
    expect(clockText(59_999)).toBe('59.9');
    expect(clockText(9_050)).toBe('9.0');
    expect(clockText(400)).toBe('0.4');
    expect(clockText(99)).toBe('0.0');
    expect(clockText(0)).toBe('0.0');
    expect(clockText(-5)).toBe('0.0');
    expect(clockText(Number.NaN)).toBe('0.0');
  });

  it('counts intervals down in whole seconds, rounded up', () => {
    expect(countdownText(120_000)).toBe('2:00');
    expect(countdownText(59_999)).toBe('1:00');
    expect(countdownText(59_000)).toBe('0:59');
    expect(countdownText(1)).toBe('0:01');
    expect(countdownText(0)).toBe('0:00');
  });

  it('writes the clock as the operator types it, and reads it back', () => {
    expect(clockInputText(45_300)).toBe('0:45');
    expect(parseClockInput(clockInputText(45_300))).toBe(45_000);
    expect(clockInputText(600_000)).toBe('10:00');
    expect(parseClockInput('10:00')).toBe(600_000);
    expect(parseClockInput(' 2:05 ')).toBe(125_000);
    expect(parseClockInput('12')).toBe(720_000);
    expect(parseClockInput('1:75')).toBeNull();
    expect(parseClockInput('abc')).toBeNull();
    expect(parseClockInput('')).toBeNull();
  });
});

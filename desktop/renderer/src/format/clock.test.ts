import { describe, expect, it } from 'vitest';
import { formatSince } from './clock.js';

describe('formatSince', () => {
  const anchorAt = '2026-11-28T10:00:00.000Z';
  const anchor = Date.parse(anchorAt);

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

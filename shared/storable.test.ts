/** What PostgreSQL cannot store is refused at the boundary, with the field named. */
import { describe, expect, it } from 'vitest';
import { matchEventSchema } from './events.js';
import { createMatchSchema } from './match.js';
import { describeZodError } from './protocol.js';
import { isStorableText, isStorableTime } from './storable.js';

describe('storable text', () => {
  it('refuses NUL and lone surrogates, keeps paired surrogates (emoji) and ordinary text', () => {
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\ud800b')).toBe(false);
    expect(isStorableText('a\udc00b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('goal 🏐 ✓')).toBe(true);
    expect(isStorableText('Zürich – Łódź')).toBe(true);
  });
});

describe('storable time', () => {
  it('refuses years outside 0001-9999 and offsets beyond ±15:59', () => {
    expect(isStorableTime('2026-11-27T12:00:00+20:00')).toBe(false);
    expect(isStorableTime('2026-11-27T12:00:00-16:00')).toBe(false);
    expect(isStorableTime('0000-01-01T00:00:00Z')).toBe(false);
    expect(isStorableTime('2026-11-27T12:00:00+15:59')).toBe(true);
    expect(isStorableTime('0001-01-01T00:00:00Z')).toBe(true);
    expect(isStorableTime('2026-11-27T12:00:00.123Z')).toBe(true);
  });
});

describe('schemas at the boundary', () => {
  const event = (over: object) => ({
    seq: 1,
    type: 'EVENT_ADDED',
    payload: { kind: 'note', text: 'x' },
    at: '2026-11-27T12:00:00Z',
    ...over,
  });

  it.each([
    ['at', { at: '2026-11-27T12:00:00+20:00' }],
    ['at', { at: '0000-01-01T00:00:00Z' }],
    ['payload.text', { payload: { kind: 'note', text: 'a\u0000b' } }],
    ['payload.text', { payload: { kind: 'note', text: 'a\ud800b' } }],
  ])('an event with an unstorable %s is refused naming it', (field, over) => {
    const parsed = matchEventSchema.safeParse(event(over));
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!)).toContain(field);
  });

  it('a match whose team name holds a NUL is refused', () => {
    const parsed = createMatchSchema.safeParse({
      sport: 'generic',
      court: '1',
      home: { name: 'a\u0000' },
      away: { name: 'B' },
    });
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!)).toContain('home.name');
  });
});

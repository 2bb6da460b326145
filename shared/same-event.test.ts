/** Event identity by canonical content (pure). */
import { describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from './events.js';
import { canonicalInstant, PAYLOAD_DEFAULTS, sameEventContent } from './same-event.js';

const score = (payload: Record<string, unknown>, at = '2026-01-01T11:00:00Z') =>
  ({ type: 'SCORE_UPDATE', payload, at }) as const;

describe('canonicalInstant', () => {
  it('names one instant whatever the offset or precision', () => {
    const same = [
      '2026-01-01T11:00:00Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00+01:00',
      '2026-01-01T12:00:00.000000+01:00',
      '2026-01-01T06:30:00-04:30',
      '2025-12-31T23:00:00-12:00',
    ];
    expect(new Set(same.map(canonicalInstant)).size).toBe(1);
  });

  it('tells different instants apart, down to the microsecond', () => {
    expect(canonicalInstant('2026-01-01T11:00:00.000001Z')).not.toBe(canonicalInstant('2026-01-01T11:00:00Z'));
    expect(canonicalInstant('2026-01-01T11:00:00.5Z')).toBe(canonicalInstant('2026-01-01T11:00:00.500Z'));
    expect(canonicalInstant('2026-01-01T12:00:00+01:00')).not.toBe(canonicalInstant('2026-01-01T12:00:00Z'));
    expect(canonicalInstant('0050-01-01T00:00:00Z')).not.toBe(canonicalInstant('1950-01-01T00:00:00Z'));
  });
});

describe('sameEventContent', () => {
  it('treats form-only differences as the same event', () => {
    expect(sameEventContent(score({ side: 'home' }), score({ side: 'home' }, '2026-01-01T12:00:00.000+01:00'))).toBe(
      true,
    );
    expect(sameEventContent(score({ side: 'home' }), score({ points: 1, side: 'home' }))).toBe(true);
    expect(
      sameEventContent(
        { type: 'MATCH_START', payload: {}, at: '2026-01-01T11:00:00Z' },
        { type: 'MATCH_START', payload: { firstServer: 'home' }, at: '2026-01-01T11:00:00.000Z' },
      ),
    ).toBe(true);
    expect(
      sameEventContent(
        { type: 'EVENT_ADDED', payload: { kind: 'card', side: 'home', card: 'red' }, at: '2026-01-01T11:00:00Z' },
        { type: 'EVENT_ADDED', payload: { card: 'red', side: 'home', kind: 'card' }, at: '2026-01-01T11:00:00Z' },
      ),
    ).toBe(true);
  });

  it('refuses real differences', () => {
    expect(sameEventContent(score({ side: 'home' }), score({ side: 'away' }))).toBe(false);
    expect(sameEventContent(score({ side: 'home' }), score({ side: 'home', points: 2 }))).toBe(false);
    expect(sameEventContent(score({ side: 'home' }), score({ side: 'home' }, '2026-01-01T11:00:01Z'))).toBe(false);
    expect(
      sameEventContent(
        { type: 'MATCH_START', payload: {}, at: '2026-01-01T11:00:00Z' },
        { type: 'MATCH_START', payload: { firstServer: 'away' }, at: '2026-01-01T11:00:00Z' },
      ),
    ).toBe(false);
    expect(
      sameEventContent(
        { type: 'MATCH_PAUSE', payload: {}, at: '2026-01-01T11:00:00Z' },
        { type: 'MATCH_RESUME', payload: {}, at: '2026-01-01T11:00:00Z' },
      ),
    ).toBe(false);
  });

  it('fills in only fields the payload schemas know, with values they accept', () => {
    for (const [type, defaults] of Object.entries(PAYLOAD_DEFAULTS)) {
      const schema = eventPayloadSchemas[type as keyof typeof eventPayloadSchemas];
      expect(schema.safeParse(defaults).success || schema.safeParse({ side: 'home', ...defaults }).success).toBe(true);
    }
  });
});

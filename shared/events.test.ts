import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventPayloadSchemas, matchEventSchema, storedEventSchema, type StoredEvent } from './events.js';
import { describeZodError } from './protocol.js';

const at = '2026-05-01T10:00:00.000Z';

/** The VALIDATION message for `input`, or 'OK'. */
function message(
  input: unknown,
  schema: typeof matchEventSchema | typeof storedEventSchema = matchEventSchema,
): string {
  const result = schema.safeParse(input);
  return result.success ? 'OK' : describeZodError(result.error);
}

const valid: Record<(typeof EVENT_TYPES)[number], unknown> = {
  MATCH_START: { firstServer: 'away' },
  MATCH_PAUSE: { reason: 'rain' },
  MATCH_RESUME: {},
  MATCH_END: { winner: 'home', reason: 'retired' },
  SCORE_UPDATE: { side: 'home', points: 3 },
  EVENT_ADDED: { kind: 'card', side: 'away', card: 'yellow', player: '9', text: 'dissent' },
  CORRECTION: { undoes: 4 },
  CLOCK_START: { remainingMs: 600_000 },
  CLOCK_STOP: { remainingMs: 512_300 },
  CLOCK_SET: { remainingMs: 0 },
  PERIOD_START: { period: 2 },
  PERIOD_END: {},
  SCORE_OVERRIDE: {
    reason: 'paper sheet',
    sets: [{ home: 6, away: 4 }],
    home: { points: 2, games: 3 },
    away: { points: 1, games: 1 },
  },
};

describe('event schemas', () => {
  it('have a schema for every event type, and accept a valid event of each', () => {
    expect(Object.keys(eventPayloadSchemas)).toEqual(EVENT_TYPES);
    for (const type of EVENT_TYPES) expect(message({ seq: 5, type, payload: valid[type], at })).toBe('OK');
  });

  it('refuse unknown fields, naming them, at the top and in the payload of every type', () => {
    expect(message({ seq: 1, type: 'MATCH_RESUME', payload: {}, at, extra: 1 })).toBe("unknown field 'extra'");
    for (const type of EVENT_TYPES) {
      const payload = { ...(valid[type] as object), sidee: 'home' };
      expect(message({ seq: 1, type, payload, at })).toBe("payload: unknown field 'sidee'");
    }
  });

  it('refuse an unknown or missing type, naming the field and the known types', () => {
    for (const type of ['GOAL', undefined, 7]) {
      const text = message({ seq: 1, type, payload: {}, at });
      expect(text).toMatch(/^type: unknown event type \(one of MATCH_START, .*PERIOD_END, SCORE_OVERRIDE\)$/);
    }
  });

  it('refuse wrong types and values with a message that starts with the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ seq: 'x', type: 'MATCH_RESUME', payload: {}, at }, /^seq: .*number/],
      [{ seq: 0, type: 'MATCH_RESUME', payload: {}, at }, /^seq: /],
      [{ seq: 1.5, type: 'MATCH_RESUME', payload: {}, at }, /^seq: /],
      [{ seq: 1, type: 'SCORE_UPDATE', payload: { side: 'left' }, at }, /^payload\.side: /],
      [{ seq: 1, type: 'SCORE_UPDATE', payload: { side: 'home', points: 4 }, at }, /^payload\.points: /],
      [{ seq: 1, type: 'SCORE_UPDATE', payload: {}, at }, /^payload\.side: /],
      [{ seq: 1, type: 'SCORE_UPDATE', payload: { side: 'home' }, at: 'yesterday' }, /^at: /],
      [{ seq: 1, type: 'SCORE_UPDATE', payload: { side: 'home' } }, /^at: /],
      [{ seq: 1, type: 'CORRECTION', payload: { undoes: '3' }, at }, /^payload\.undoes: /],
      [{ seq: 1, type: 'CLOCK_SET', payload: { remainingMs: -1 }, at }, /^payload\.remainingMs: /],
      [{ seq: 1, type: 'EVENT_ADDED', payload: { kind: 'goal' }, at }, /^payload\.kind: /],
      [{ seq: 1, type: 'EVENT_ADDED', payload: { kind: 'note', text: 'x'.repeat(201) }, at }, /^payload\.text: /],
      [{ seq: 1, type: 'MATCH_PAUSE', payload: 'now', at }, /^payload: /],
      ['SCORE_UPDATE', /^\(root\): /],
    ];
    for (const [input, expected] of cases) expect(message(input)).toMatch(expected);
  });

  it('stored events: the stored fields are required and typed, unknown fields refused', () => {
    const stored: StoredEvent = {
      cursor: 9,
      matchId: 'm1',
      consoleId: 'c1',
      epoch: 0,
      seq: 1,
      type: 'SCORE_UPDATE',
      payload: { side: 'away' },
      at,
    };
    expect(message(stored, storedEventSchema)).toBe('OK');
    expect(message({ ...stored, bogus: true }, storedEventSchema)).toBe("unknown field 'bogus'");
    expect(message({ ...stored, cursor: '9' }, storedEventSchema)).toMatch(/^cursor: /);
    expect(message({ ...stored, epoch: undefined }, storedEventSchema)).toMatch(/^epoch: /);
    expect(message({ ...stored, type: 'GOAL' }, storedEventSchema)).toMatch(/^type: unknown event type/);
    // A console event is not a stored one, and a stored one is not a console event.
    expect(message({ seq: 1, type: 'MATCH_RESUME', payload: {}, at }, storedEventSchema)).toMatch(/^cursor: /);
    expect(message(stored)).toMatch(/unknown field/);
  });
});

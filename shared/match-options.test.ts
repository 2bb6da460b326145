/** Match options of contract v1.1: accepted for their sports, refused elsewhere with a message naming the field. */
import { describe, expect, it } from 'vitest';
import { createMatchSchema } from './match.js';
import { describeZodError } from './protocol.js';

function verdict(body: object): string {
  const r = createMatchSchema.safeParse({ court: '1', home: { name: 'H' }, away: { name: 'A' }, ...body });
  return r.success ? 'OK' : describeZodError(r.error);
}

describe('match options', () => {
  it('accepts each sport its own options', () => {
    expect(verdict({ sport: 'tennis', options: { bestOf: 5, noAd: true, finalSet: 'matchTiebreak10' } })).toBe('OK');
    expect(verdict({ sport: 'badminton', options: { scoring: '5x11' } })).toBe('OK');
    expect(verdict({ sport: 'table-tennis', options: { bestOf: 7 } })).toBe('OK');
    expect(verdict({ sport: 'volleyball', options: { variant: 'beach' } })).toBe('OK');
    expect(verdict({ sport: 'basketball', options: { periodMinutes: 12, overtimeMinutes: 5, foulLimit: 6 } })).toBe(
      'OK',
    );
    expect(
      verdict({
        sport: 'badminton',
        home: { name: 'H', players: ['H1', 'H2'] },
        away: { name: 'A', players: ['A1', 'A2'] },
        options: { doubles: true },
      }),
    ).toBe('OK');
  });

  it('refuses unknown options, options of another sport, values outside the contract and bad doubles', () => {
    expect(verdict({ sport: 'tennis', options: { tiebreakAt: 6 } })).toMatch(/tiebreakAt/);
    expect(verdict({ sport: 'tennis', options: { scoring: '5x11' } })).toMatch(
      /options\.scoring.*tennis has no option scoring/,
    );
    expect(verdict({ sport: 'tennis', options: { bestOf: 7 } })).toMatch(/best of 3, 5/);
    expect(verdict({ sport: 'table-tennis', options: { bestOf: 1 } })).toMatch(/best of 3, 5, 7/);
    expect(verdict({ sport: 'badminton', options: { scoring: '7x7' } })).toMatch(/options\.scoring/);
    expect(verdict({ sport: 'basketball', options: { doubles: true } })).toMatch(/no option doubles/);
    expect(verdict({ sport: 'tennis', options: { doubles: true } })).toMatch(/home\.players.*two different/);
    expect(verdict({ sport: 'tennis', home: { name: 'H', players: ['a', 'b'] } })).toMatch(
      /only with options\.doubles/,
    );
  });
});

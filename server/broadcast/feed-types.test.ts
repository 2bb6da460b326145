/**
 * vMix maps feed columns by name and type: every column keeps the one type of
 * FEED_COLUMN_TYPES in every row, for every sport and state (pure: real folds of each sport).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import { SPORTS, type MatchEvent } from '../../shared/events.js';
import type { MatchMeta } from '../../shared/match.js';
import type { Freshness } from '../../shared/protocol.js';
import { FEED_COLUMNS, FEED_COLUMN_TYPES, flattenMatch, type FeedType, type FeedValue } from './feed-rows.js';

const at = (i: number) => new Date(Date.parse('2026-11-28T10:00:00.000Z') + i * 1000).toISOString();

function meta(sport: (typeof SPORTS)[number], scheduled: boolean): MatchMeta {
  return {
    id: `m-${sport}`,
    sport,
    court: '1',
    home: { name: 'H' },
    away: { name: 'A' },
    scheduledAt: scheduled ? at(0) : null,
    slotMinutes: scheduled ? 90 : null,
    options: {},
  };
}

function played(points: number): MatchEvent[] {
  const events: MatchEvent[] = [{ seq: 1, type: 'MATCH_START', payload: {}, at: at(1) }];
  for (let i = 0; i < points; i++)
    events.push({ seq: i + 2, type: 'SCORE_UPDATE', payload: { side: i % 3 ? 'home' : 'away' }, at: at(i + 2) });
  return events;
}

function stored(events: MatchEvent[], matchId: string) {
  return events.map((e, i) => ({ ...e, cursor: i + 1, matchId, consoleId: 'c', epoch: 0 }));
}

function typeOf(value: FeedValue): FeedType | 'null' {
  if (value === null) return 'null';
  return typeof value as FeedType;
}

const FRESHNESS: (Freshness | null)[] = [
  null,
  { lastEventAt: null, lastStoredAt: null, consoleOnline: false, verified: null },
  { lastEventAt: at(5), lastStoredAt: at(5), consoleOnline: true, verified: true },
  { lastEventAt: at(5), lastStoredAt: at(5), consoleOnline: true, verified: false },
];

describe('feed column types', () => {
  it('has a type for every column and nothing else', () => {
    expect(Object.keys(FEED_COLUMN_TYPES).sort()).toEqual([...FEED_COLUMNS].sort());
  });

  it('README.md documents each column under its type', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const rowOf: Record<FeedType, RegExp> = {
      number: /^\| number .*$/m,
      string: /^\| text .*$/m,
      boolean: /^\| boolean  .*$/m,
      'boolean-or-null': /^\| boolean or null .*$/m,
    };
    for (const column of FEED_COLUMNS) {
      const row = rowOf[FEED_COLUMN_TYPES[column]].exec(readme)?.[0] ?? '';
      expect(row, column).toContain(`\`${column}\``);
    }
  });

  it('every row of every sport, state and freshness has each column in its one type', () => {
    const seen = new Map<string, Set<string>>();
    for (const sport of SPORTS) {
      for (const scheduled of [false, true]) {
        const m = meta(sport, scheduled);
        for (const points of [-1, 0, 7, 60]) {
          const snapshot = foldMatch(m, points < 0 ? [] : stored(played(points), m.id));
          for (const freshness of FRESHNESS) {
            const row = flattenMatch(snapshot, freshness, Date.parse(at(100)));
            expect(Object.keys(row)).toEqual([...FEED_COLUMNS]);
            for (const column of FEED_COLUMNS) {
              const kind = typeOf(row[column]);
              const want = FEED_COLUMN_TYPES[column];
              if (want === 'boolean-or-null') expect(['boolean', 'null'], column).toContain(kind);
              else expect(kind, `${sport} ${column}`).toBe(want);
              if (!seen.has(column)) seen.set(column, new Set());
              seen.get(column)!.add(kind);
            }
          }
        }
      }
    }
    // The tennis-only numbers are numbers for every sport (0 where there are none).
    expect([...seen.get('homeGames')!]).toEqual(['number']);
    expect([...seen.get('verified')!].sort()).toEqual(['boolean', 'null']);
  });
});

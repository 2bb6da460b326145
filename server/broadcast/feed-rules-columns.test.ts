/** The v1.1 sport-rule columns of the feed rows, from real folds (pure). */
import { describe, expect, it } from 'vitest';
import { foldMatch } from '../../shared/domain/index.js';
import type { MatchEvent } from '../../shared/events.js';
import type { MatchMeta } from '../../shared/match.js';
import { flattenMatch } from './feed-rows.js';

const at = (i: number) => new Date(Date.parse('2026-11-28T10:00:00.000Z') + i * 1000).toISOString();

function meta(sport: MatchMeta['sport'], options: MatchMeta['options'], players = false): MatchMeta {
  return {
    id: 'm1',
    sport,
    court: '1',
    home: players ? { name: 'H', players: ['Kim', 'Lee'] } : { name: 'H' },
    away: players ? { name: 'A', players: ['Ota', 'Sun'] } : { name: 'A' },
    scheduledAt: null,
    slotMinutes: null,
    options,
  };
}

function events(...rest: Omit<MatchEvent, 'seq' | 'at'>[]): MatchEvent[] {
  return rest.map((e, i) => ({ ...e, seq: i + 1, at: at(i + 1) }) as MatchEvent);
}

describe('feed rows: sport rules columns', () => {
  it('badminton doubles: players, who serves from which court, the interval and change of ends', () => {
    const points = Array.from({ length: 21 }, () => ({
      type: 'SCORE_UPDATE' as const,
      payload: { side: 'home' as const },
    }));
    const snap = foldMatch(
      meta('badminton', { doubles: true }, true),
      events({ type: 'MATCH_START', payload: {} }, ...points),
    );
    const row = flattenMatch(snap, null, Date.parse(at(30)));
    expect(row).toMatchObject({
      changeEnds: true,
      interval: 'between-games',
      intervalSeconds: 120,
      serviceCourt: 'right',
      servingPlayer: 'Kim',
      receivingPlayer: 'Ota',
      homePlayers: 'Kim / Lee',
      awayPlayers: 'Ota / Sun',
    });
  });

  it('basketball: time-outs left, penalty and fouled-out players', () => {
    const fouls = Array.from({ length: 5 }, () => ({
      type: 'EVENT_ADDED' as const,
      payload: { kind: 'foul' as const, side: 'away' as const, player: '9' },
    }));
    const snap = foldMatch(
      meta('basketball', {}),
      events(
        { type: 'MATCH_START', payload: {} },
        { type: 'EVENT_ADDED', payload: { kind: 'timeout', side: 'home' } },
        ...fouls,
      ),
    );
    expect(flattenMatch(snap, null, Date.parse(at(30)))).toMatchObject({
      homeTimeoutsLeft: 1,
      awayTimeoutsLeft: 2,
      homePenalty: false,
      awayPenalty: true,
      awayDisqualified: '9',
      homeDisqualified: '',
      changeEnds: false,
      interval: '',
      intervalSeconds: 0,
    });
  });

  it('basketball: a Q4 clock running into the last 2:00 with no event caps time-outs left at 2 (FIBA 18.2.5)', () => {
    const quarter = [
      { type: 'PERIOD_END' as const, payload: {} },
      { type: 'PERIOD_START' as const, payload: {} },
    ];
    const snap = foldMatch(
      meta('basketball', {}),
      events(
        { type: 'MATCH_START', payload: {} },
        ...quarter,
        ...quarter,
        ...quarter,
        { type: 'CLOCK_SET', payload: { remainingMs: 150_000 } },
        { type: 'CLOCK_START', payload: { remainingMs: 150_000 } },
      ),
    );
    const started = Date.parse(snap.clock.anchorAt!);
    expect(flattenMatch(snap, null, started + 10_000)).toMatchObject({ homeTimeoutsLeft: 3, awayTimeoutsLeft: 3 });
    expect(flattenMatch(snap, null, started + 31_000)).toMatchObject({ homeTimeoutsLeft: 2, awayTimeoutsLeft: 2 });
  });
});

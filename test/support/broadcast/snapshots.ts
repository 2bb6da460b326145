/** Match snapshots for unit tests of the pure broadcast helpers (no I/O). */
import type { MatchSnapshot } from '../../../shared/match.js';

const emptyTally = () => ({ timeouts: 0, fouls: 0, cards: { yellow: 0, red: 0, black: 0 } });

export function snapshot(overrides: Partial<MatchSnapshot> = {}): MatchSnapshot {
  return {
    id: 'm1',
    sport: 'volleyball',
    court: '1',
    status: 'scheduled',
    home: { name: 'Home', score: 0 },
    away: { name: 'Away', score: 0 },
    cursor: 0,
    updatedAt: null,
    seq: 0,
    epoch: 0,
    scheduledAt: null,
    slotMinutes: null,
    options: {},
    sets: [],
    setsWon: { home: 0, away: 0 },
    period: 1,
    serving: null,
    setPoint: null,
    matchPoint: null,
    winner: null,
    clock: { running: false, remainingMs: 0, anchorAt: null },
    tally: { home: emptyTally(), away: emptyTally() },
    ignoredSeqs: [],
    cancelledSeqs: [],
    ...overrides,
  };
}

/** One line of plain text per event for the operator's log (rendered as text, never HTML). */
import type { MatchEvent } from '../../../../shared/events.js';
import { clockText } from '../../../../shared/display/index.js';

export function describeEvent(event: MatchEvent, names: { home: string; away: string }): string {
  const team = (side: 'home' | 'away' | undefined) => (side ? names[side] : 'match');
  switch (event.type) {
    case 'MATCH_START':
      return event.payload.firstServer ? `Match started, ${team(event.payload.firstServer)} serves` : 'Match started';
    case 'MATCH_PAUSE':
      return event.payload.reason ? `Paused: ${event.payload.reason}` : 'Paused';
    case 'MATCH_RESUME':
      return 'Resumed';
    case 'MATCH_END':
      return [
        'Match ended',
        event.payload.winner ? `winner ${team(event.payload.winner)}` : '',
        event.payload.reason ? `(${event.payload.reason})` : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'SCORE_UPDATE':
      return `${event.payload.points && event.payload.points > 1 ? `+${event.payload.points}` : 'Point'} ${team(event.payload.side)}`;
    case 'EVENT_ADDED': {
      const p = event.payload;
      const who = p.player ? ` #${p.player}` : '';
      switch (p.kind) {
        case 'timeout':
          return `Timeout ${team(p.side)}`;
        case 'card':
          return `${p.card ?? 'yellow'} card ${team(p.side)}${who}`.replace(/^./, (c) => c.toUpperCase());
        case 'foul':
          return `Foul ${team(p.side)}${who}`;
        case 'substitution':
          return `Substitution ${team(p.side)}: ${p.player ?? '?'} off, ${p.playerIn ?? '?'} on`;
        case 'note':
          return `Note: ${p.text ?? ''}`;
      }
      return 'Event';
    }
    case 'CORRECTION':
      return `Correction: cancels #${event.payload.undoes}`;
    case 'CLOCK_START':
      return `Clock started at ${clockText(event.payload.remainingMs)}`;
    case 'CLOCK_STOP':
      return `Clock stopped at ${clockText(event.payload.remainingMs)}`;
    case 'CLOCK_SET':
      return `Clock set to ${clockText(event.payload.remainingMs)}`;
    case 'PERIOD_START':
      return [
        event.payload.period ? `Period ${event.payload.period} started` : 'Next period started',
        event.payload.firstServer ? `${team(event.payload.firstServer)} serves` : '',
        event.payload.firstServerPlayer ? `${event.payload.firstServerPlayer} serves` : '',
        event.payload.firstReceiverPlayer ? `${event.payload.firstReceiverPlayer} receives` : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'PERIOD_END':
      return 'Period ended';
    case 'SCORE_OVERRIDE': {
      const p = event.payload;
      const sets = p.sets?.length ? ` after ${p.sets.map((x) => `${x.home}-${x.away}`).join(', ')}` : '';
      const games = p.home.games !== undefined ? ` games ${p.home.games}-${p.away.games ?? 0}` : '';
      return `Score set to ${p.home.points}-${p.away.points}${games}${sets}: ${p.reason}`;
    }
  }
}

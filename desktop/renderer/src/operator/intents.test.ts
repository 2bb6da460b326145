import { describe, expect, it } from 'vitest';
import { foldMatch } from '../../../../shared/domain/index.js';
import type { Sport } from '../../../../shared/events.js';
import type { MatchMeta } from '../../../../shared/match.js';
import { consoleCommandSchemas } from '../../../contract/commands.js';
import { ACTION_NAMES } from '../keys/bindings.js';
import { actionsFor, intentFor } from './intents.js';

const meta = (sport: Sport): MatchMeta => ({
  id: 'm1',
  sport,
  court: '1',
  home: { name: 'H' },
  away: { name: 'A' },
  scheduledAt: null,
  slotMinutes: null,
  options: {},
});
const at = '2026-11-28T10:00:00.000Z';

describe('keyboard intents', () => {
  it('does nothing without a match', () => {
    expect(intentFor('scoreHome', null).kind).toBe('none');
  });

  it('produces only commands the console API accepts, for every sport and action', () => {
    for (const sport of ['generic', 'volleyball', 'badminton', 'table-tennis', 'tennis', 'basketball'] as const) {
      const snapshot = foldMatch(meta(sport), [{ seq: 1, type: 'MATCH_START', payload: {}, at }]);
      for (const action of ACTION_NAMES) {
        const intent = intentFor(action, snapshot, Date.parse(at));
        if (intent.kind !== 'run') continue;
        const parsed = consoleCommandSchemas[intent.command].safeParse(intent.args);
        expect(parsed.success, `${sport} ${action}`).toBe(true);
      }
    }
  });

  it('maps sides and points', () => {
    const snapshot = foldMatch(meta('basketball'), []);
    expect(intentFor('scoreAway3', snapshot)).toEqual({
      kind: 'run',
      command: 'score',
      args: { side: 'away', points: 3 },
    });
    expect(intentFor('scoreHome', snapshot)).toEqual({ kind: 'run', command: 'score', args: { side: 'home' } });
    expect(intentFor('redHome', snapshot)).toEqual({
      kind: 'run',
      command: 'addEvent',
      args: { kind: 'card', card: 'red', side: 'home' },
    });
    expect(intentFor('subAway', snapshot)).toEqual({ kind: 'dialog', dialog: 'substitution-away' });
  });

  it('never ends a match without the confirmation dialog', () => {
    const snapshot = foldMatch(meta('volleyball'), [{ seq: 1, type: 'MATCH_START', payload: {}, at }]);
    expect(intentFor('end', snapshot)).toEqual({ kind: 'dialog', dialog: 'end' });
  });

  it('toggles pause and resume from the status', () => {
    const live = foldMatch(meta('volleyball'), [{ seq: 1, type: 'MATCH_START', payload: {}, at }]);
    expect(intentFor('pauseResume', live)).toMatchObject({ command: 'pause' });
    const paused = foldMatch(meta('volleyball'), [
      { seq: 1, type: 'MATCH_START', payload: {}, at },
      { seq: 2, type: 'MATCH_PAUSE', payload: {}, at },
    ]);
    expect(intentFor('pauseResume', paused)).toMatchObject({ command: 'resume' });
    expect(intentFor('pauseResume', foldMatch(meta('volleyball'), [])).kind).toBe('none');
  });

  it('hides basket points and the clock where the sport has none', () => {
    expect(actionsFor('badminton').has('scoreHome3')).toBe(false);
    expect(actionsFor('badminton').has('clockToggle')).toBe(false);
    expect(actionsFor('basketball').has('scoreHome3')).toBe(true);
    expect(intentFor('scoreHome2', foldMatch(meta('badminton'), [])).kind).toBe('none');
  });
});

/**
 * What a keyboard action (or its button) means in the current match state. Pure, so the
 * keyboard and the mouse paths are the same code and can be tested without a screen.
 */
import type { ConsoleCommand, ConsoleCommandArgs } from '../../../contract/commands.js';
import type { Side, Sport } from '../../../../shared/events.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import type { Action } from '../keys/bindings.js';
import { clockRemaining, hasClock, hasMultiPoints } from '../../../../shared/display/index.js';

export type RunIntent = {
  [C in ConsoleCommand]: { kind: 'run'; command: C; args: ConsoleCommandArgs<C> };
}[ConsoleCommand];
export type DialogName =
  | 'end'
  | 'substitution-home'
  | 'substitution-away'
  | 'note'
  | 'clock-set'
  | 'foul-home'
  | 'foul-away'
  | 'override'
  | 'serve';
export type Intent = RunIntent | { kind: 'dialog'; dialog: DialogName } | { kind: 'none'; reason: string };

const run = <C extends ConsoleCommand>(command: C, args: ConsoleCommandArgs<C>): RunIntent =>
  ({ kind: 'run', command, args }) as RunIntent;

/** Actions that make sense for the sport (the screen shows only these). */
export function actionsFor(sport: Sport): Set<Action> {
  const all: Action[] = [
    'scoreHome',
    'scoreAway',
    'undo',
    'undoAlt',
    'redo',
    'start',
    'pauseResume',
    'end',
    'timeoutHome',
    'timeoutAway',
    'foulHome',
    'foulAway',
    'yellowHome',
    'yellowAway',
    'redHome',
    'redAway',
    'subHome',
    'subAway',
    'note',
  ];
  if (hasMultiPoints(sport)) all.push('scoreHome2', 'scoreAway2', 'scoreHome3', 'scoreAway3');
  if (hasClock(sport)) all.push('clockToggle', 'periodStart', 'periodEnd');
  return new Set(all);
}

const side = (action: string): Side => (action.endsWith('Home') || /Home\d$/.test(action) ? 'home' : 'away');

export function intentFor(action: Action, snapshot: MatchSnapshot | null, nowMs: number = Date.now()): Intent {
  if (!snapshot) return { kind: 'none', reason: 'open or create a match first' };
  if (!actionsFor(snapshot.sport).has(action)) return { kind: 'none', reason: `not used in ${snapshot.sport}` };
  switch (action) {
    case 'scoreHome':
    case 'scoreAway':
      return run('score', { side: side(action) });
    case 'scoreHome2':
    case 'scoreAway2':
      return run('score', { side: side(action), points: 2 });
    case 'scoreHome3':
    case 'scoreAway3':
      return run('score', { side: side(action), points: 3 });
    case 'undo':
    case 'undoAlt':
      return run('undo', {});
    case 'redo':
      return run('redo', {});
    case 'start':
      return run('start', {});
    case 'pauseResume':
      if (snapshot.status === 'live') return run('pause', {});
      if (snapshot.status === 'paused') return run('resume', {});
      return { kind: 'none', reason: 'the match is not running' };
    case 'end':
      return { kind: 'dialog', dialog: 'end' };
    case 'clockToggle':
      return snapshot.clock.running
        ? run('clockStop', {})
        : run('clockStart', { remainingMs: clockRemaining(snapshot.clock, nowMs) });
    case 'periodStart':
      return run('periodStart', {});
    case 'periodEnd':
      return run('periodEnd', {});
    case 'timeoutHome':
    case 'timeoutAway':
      return run('addEvent', { kind: 'timeout', side: side(action) });
    case 'foulHome':
    case 'foulAway':
      // Basketball counts personal fouls towards foul-out: ask for the player.
      if (snapshot.sport === 'basketball')
        return { kind: 'dialog', dialog: side(action) === 'home' ? 'foul-home' : 'foul-away' };
      return run('addEvent', { kind: 'foul', side: side(action) });
    case 'yellowHome':
    case 'yellowAway':
      return run('addEvent', { kind: 'card', card: 'yellow', side: side(action) });
    case 'redHome':
    case 'redAway':
      return run('addEvent', { kind: 'card', card: 'red', side: side(action) });
    case 'subHome':
      return { kind: 'dialog', dialog: 'substitution-home' };
    case 'subAway':
      return { kind: 'dialog', dialog: 'substitution-away' };
    case 'note':
      return { kind: 'dialog', dialog: 'note' };
  }
}

/**
 * Turns an operator command into the event it records (pure). Clock commands need the
 * current clock to say how much time is left; undo/redo need the history: both come in
 * as arguments, so this file has no state and no I/O.
 */
import type { EventPayload, EventType } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { ConsoleCommand, ConsoleCommandArgs } from './console-api.js';

/** Commands that append an event to the open match. */
export const EVENT_COMMANDS = [
  'score',
  'start',
  'pause',
  'resume',
  'end',
  'addEvent',
  'clockStart',
  'clockStop',
  'clockSet',
  'periodStart',
  'periodEnd',
  'undo',
  'redo',
  'correct',
  'overrideScore',
] as const satisfies readonly ConsoleCommand[];
export type EventCommand = (typeof EVENT_COMMANDS)[number];

export function isEventCommand(command: ConsoleCommand): command is EventCommand {
  return (EVENT_COMMANDS as readonly string[]).includes(command);
}

export type EventDraft = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];

export interface DraftContext {
  snapshot: MatchSnapshot;
  /** Server time now (ms, the console's reckoning): only to read a running clock, never for ordering. */
  nowMs: number;
  /** Server time now as ISO, when this console has measured its offset: a CLOCK_START's anchorAt. */
  anchorAt: string | null;
  /** Asked only by undo/redo: computing them walks the history. */
  undoTarget: () => number | null;
  redoTarget: () => number | null;
}

export type DraftResult = { ok: true; draft: EventDraft } | { ok: false; code: 'RULES'; message: string };

/** Time left on the clock now: a running clock counts down from its anchor. */
export function remainingNow(snapshot: MatchSnapshot, nowMs: number): number {
  const clock = snapshot.clock;
  if (!clock.running || !clock.anchorAt) return clock.remainingMs;
  const elapsed = Math.max(0, nowMs - Date.parse(clock.anchorAt));
  return Math.max(0, clock.remainingMs - elapsed);
}

export function draftEvent<C extends EventCommand>(
  command: C,
  args: ConsoleCommandArgs<C>,
  ctx: DraftContext,
): DraftResult {
  const ok = (draft: EventDraft): DraftResult => ({ ok: true, draft });
  switch (command) {
    case 'score': {
      const a = args as ConsoleCommandArgs<'score'>;
      return ok({
        type: 'SCORE_UPDATE',
        payload: a.points === undefined ? { side: a.side } : { side: a.side, points: a.points },
      });
    }
    case 'start':
      return ok({ type: 'MATCH_START', payload: args as ConsoleCommandArgs<'start'> });
    case 'pause':
      return ok({ type: 'MATCH_PAUSE', payload: args as ConsoleCommandArgs<'pause'> });
    case 'resume':
      return ok({ type: 'MATCH_RESUME', payload: {} });
    case 'end':
      return ok({ type: 'MATCH_END', payload: args as ConsoleCommandArgs<'end'> });
    case 'addEvent':
      return ok({ type: 'EVENT_ADDED', payload: args as ConsoleCommandArgs<'addEvent'> });
    case 'clockStart': {
      const a = args as ConsoleCommandArgs<'clockStart'>;
      const remainingMs = a.remainingMs ?? remainingNow(ctx.snapshot, ctx.nowMs);
      return ok({
        type: 'CLOCK_START',
        payload: ctx.anchorAt === null ? { remainingMs } : { remainingMs, anchorAt: ctx.anchorAt },
      });
    }
    case 'clockStop':
      return ok({ type: 'CLOCK_STOP', payload: { remainingMs: remainingNow(ctx.snapshot, ctx.nowMs) } });
    case 'clockSet':
      return ok({ type: 'CLOCK_SET', payload: args as ConsoleCommandArgs<'clockSet'> });
    case 'periodStart':
      return ok({ type: 'PERIOD_START', payload: args as ConsoleCommandArgs<'periodStart'> });
    case 'periodEnd':
      return ok({ type: 'PERIOD_END', payload: {} });
    case 'undo': {
      const target = ctx.undoTarget();
      if (target === null) return { ok: false, code: 'RULES', message: 'nothing to undo' };
      return ok({ type: 'CORRECTION', payload: { undoes: target } });
    }
    case 'redo': {
      const target = ctx.redoTarget();
      if (target === null) return { ok: false, code: 'RULES', message: 'nothing to redo' };
      return ok({ type: 'CORRECTION', payload: { undoes: target } });
    }
    case 'correct':
      return ok({ type: 'CORRECTION', payload: { undoes: (args as ConsoleCommandArgs<'correct'>).seq } });
    case 'overrideScore':
      return ok({ type: 'SCORE_OVERRIDE', payload: args as ConsoleCommandArgs<'overrideScore'> });
    default: {
      const never: never = command;
      throw new Error(`not an event command: ${String(never)}`);
    }
  }
}

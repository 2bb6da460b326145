/**
 * Turns an operator command into the event it records (pure). Clock commands need the
 * current clock to say how much time is left; undo/redo need the history: both come in
 * as arguments, so this file has no state and no I/O. One drafter per event command, in a
 * map the compiler checks against the command schemas (desktop/contract/commands.ts).
 */
import type { EventPayload, EventType } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import { clockRemaining } from '../../shared/display/index.js';
import type { CommandInputs, ConsoleCommand } from '../contract/commands.js';

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

const ok = (draft: EventDraft): DraftResult => ({ ok: true, draft });

function correction(target: number | null, nothing: string): DraftResult {
  if (target === null) return { ok: false, code: 'RULES', message: nothing };
  return ok({ type: 'CORRECTION', payload: { undoes: target } });
}

/** Commands that append an event to the open match, each with the event it drafts. */
export const EVENT_DRAFTERS = {
  score: ({ side, points }) =>
    ok({ type: 'SCORE_UPDATE', payload: points === undefined ? { side } : { side, points } }),
  start: (args) => ok({ type: 'MATCH_START', payload: args }),
  pause: (args) => ok({ type: 'MATCH_PAUSE', payload: args }),
  resume: () => ok({ type: 'MATCH_RESUME', payload: {} }),
  end: (args) => ok({ type: 'MATCH_END', payload: args }),
  addEvent: (args) => ok({ type: 'EVENT_ADDED', payload: args }),
  clockStart: (args, ctx) => {
    const remainingMs = args.remainingMs ?? clockRemaining(ctx.snapshot.clock, ctx.nowMs);
    return ok({
      type: 'CLOCK_START',
      payload: ctx.anchorAt === null ? { remainingMs } : { remainingMs, anchorAt: ctx.anchorAt },
    });
  },
  clockStop: (_args, ctx) =>
    ok({ type: 'CLOCK_STOP', payload: { remainingMs: clockRemaining(ctx.snapshot.clock, ctx.nowMs) } }),
  clockSet: (args) => ok({ type: 'CLOCK_SET', payload: args }),
  periodStart: (args) => ok({ type: 'PERIOD_START', payload: args }),
  periodEnd: () => ok({ type: 'PERIOD_END', payload: {} }),
  undo: (_args, ctx) => correction(ctx.undoTarget(), 'nothing to undo'),
  redo: (_args, ctx) => correction(ctx.redoTarget(), 'nothing to redo'),
  correct: ({ seq }) => ok({ type: 'CORRECTION', payload: { undoes: seq } }),
  overrideScore: (args) => ok({ type: 'SCORE_OVERRIDE', payload: args }),
} satisfies { [C in ConsoleCommand]?: (args: CommandInputs[C], ctx: DraftContext) => DraftResult };

export type EventCommand = keyof typeof EVENT_DRAFTERS;
type Drafters = { [C in EventCommand]: (args: CommandInputs[C], ctx: DraftContext) => DraftResult };

export function draftEvent<C extends EventCommand>(command: C, args: CommandInputs[C], ctx: DraftContext): DraftResult {
  const drafters: Drafters = EVENT_DRAFTERS;
  return drafters[command](args, ctx);
}

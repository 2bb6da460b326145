/**
 * The console's commands: one zod schema per command (the only description of its
 * arguments), validated once where untrusted input arrives (parseCommand), then run by
 * the one handler of that command in a map the compiler checks (CommandHandlers).
 */
import { z } from 'zod';
import { createMatchSchema } from '../../shared/match.js';
import {
  sideSchema,
  matchStartPayload,
  matchPausePayload,
  matchEndPayload,
  eventAddedPayload,
  clockPayload,
  periodStartPayload,
  scoreOverridePayload,
} from '../../shared/events.js';
import { batterySchema, describeZodError, type ErrorCode } from '../../shared/protocol.js';

const matchIdArgs = z.object({ matchId: z.string().min(1).max(64) }).strict();
const noArgs = z.object({}).strict();

export const consoleCommandSchemas = {
  setCourt: z.object({ court: z.string().trim().min(1).max(64) }).strict(),
  setServer: z
    .object({ url: z.url(), username: z.string().min(1).max(100), password: z.string().min(1).max(200) })
    .strict(),
  createMatch: createMatchSchema,
  openMatch: matchIdArgs,
  /**
   * Verifier mode (contract 1.1 verify stream): score a match of the schedule on this console
   * as a second scorer; the server compares it with the official score and never shows it.
   */
  verifyMatch: matchIdArgs,
  /**
   * Hot standby: open a schedule match read-only and mirror every stored event of it into
   * this console's SQLite (match:pull by cursor), reporting role "standby"; claimMatch takes over.
   */
  standbyMatch: matchIdArgs,
  /** Take over a match from another console (handover to this backup console). */
  claimMatch: matchIdArgs,
  score: z.object({ side: sideSchema, points: z.number().int().min(1).max(3).optional() }).strict(),
  start: matchStartPayload,
  pause: matchPausePayload,
  resume: noArgs,
  end: matchEndPayload,
  addEvent: eventAddedPayload,
  clockStart: clockPayload.partial(),
  clockStop: noArgs,
  clockSet: clockPayload,
  periodStart: periodStartPayload,
  periodEnd: noArgs,
  undo: noArgs,
  redo: noArgs,
  /** Cancel any past event of the match. */
  correct: z.object({ seq: z.number().int().min(1) }).strict(),
  /** Set the score directly (a match restarted from a paper sheet), with a reason. */
  overrideScore: scoreOverridePayload,
  refreshSchedule: noArgs,
  /** The screen's Battery API (navigator.getBattery), for device health in presence. */
  reportBattery: batterySchema,
} as const;

type Schemas = typeof consoleCommandSchemas;
export type ConsoleCommand = keyof Schemas;
/** What a caller writes (before defaults and trimming). */
export type ConsoleCommandArgs<C extends ConsoleCommand> = z.input<Schemas[C]>;
/** What a handler receives: the arguments after validation. */
export type CommandInputs = { [C in ConsoleCommand]: z.output<Schemas[C]> };

export type CommandResult =
  /** `seq`: the event recorded; `matchId`: the match created or opened. */
  { ok: true; seq?: number; matchId?: string } | { ok: false; code: ErrorCode; message: string };

/** A command that passed its schema: only parseCommand makes one. */
export type ValidCommand = { [C in ConsoleCommand]: { command: C; args: CommandInputs[C] } }[ConsoleCommand];

export type CommandVerdict = { ok: true; valid: ValidCommand } | { ok: false; code: 'VALIDATION'; message: string };

/** One handler per command, each typed by its own schema's output. */
export type CommandHandlers = {
  [C in ConsoleCommand]: (args: CommandInputs[C]) => CommandResult | Promise<CommandResult>;
};

export function isConsoleCommand(command: unknown): command is ConsoleCommand {
  return typeof command === 'string' && Object.hasOwn(consoleCommandSchemas, command);
}

/** Validate untrusted input (a name and its arguments) against the command's schema. */
export function parseCommand(command: unknown, args: unknown): CommandVerdict {
  if (!isConsoleCommand(command)) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: `command: unknown command ${JSON.stringify(String(command)).slice(0, 80)}`,
    };
  }
  const parsed = consoleCommandSchemas[command].safeParse(args ?? {});
  if (!parsed.success) {
    return { ok: false, code: 'VALIDATION', message: `${command}: ${describeZodError(parsed.error)}` };
  }
  // safeParse of the schema picked by `command` returns that schema's output; TypeScript
  // sees only the union of all outputs here, so the pairing is restated once, in this place.
  return { ok: true, valid: { command, args: parsed.data } as ValidCommand };
}

/** Run a validated command's handler: no second parse, no cast (the map is keyed by command). */
export async function dispatchCommand<C extends ConsoleCommand>(
  handlers: CommandHandlers,
  valid: { command: C; args: CommandInputs[C] },
): Promise<CommandResult> {
  return handlers[valid.command](valid.args);
}

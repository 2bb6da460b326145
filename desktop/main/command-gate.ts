/**
 * The privileged side of both bridges (Electron IPC and the web console host) runs every
 * command through this gate: the command name must be known and its arguments must pass
 * consoleCommandSchemas, else VALIDATION naming the field. No Electron import here, so the
 * web host and the tests share it.
 */
import { describeZodError } from '../../shared/protocol.js';
import {
  consoleCommandSchemas,
  type CommandResult,
  type ConsoleApi,
  type ConsoleCommand,
} from '../core/console-api.js';

export type GateVerdict =
  | { ok: true; command: ConsoleCommand; args: unknown }
  | { ok: false; code: 'VALIDATION'; message: string };

export function checkCommand(command: unknown, args: unknown): GateVerdict {
  if (typeof command !== 'string' || !Object.hasOwn(consoleCommandSchemas, command)) {
    return {
      ok: false,
      code: 'VALIDATION',
      message: `command: unknown command ${JSON.stringify(String(command)).slice(0, 80)}`,
    };
  }
  const name = command as ConsoleCommand;
  const parsed = consoleCommandSchemas[name].safeParse(args ?? {});
  if (!parsed.success) return { ok: false, code: 'VALIDATION', message: `${name}: ${describeZodError(parsed.error)}` };
  return { ok: true, command: name, args: parsed.data };
}

/** Validate, then run on the core; never throws (a failure becomes an INTERNAL result). */
export async function runGated(api: ConsoleApi, command: unknown, args: unknown): Promise<CommandResult> {
  const verdict = checkCommand(command, args);
  if (!verdict.ok) return verdict;
  try {
    return await api.run(verdict.command, verdict.args as never);
  } catch (error) {
    return { ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  }
}

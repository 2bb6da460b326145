/**
 * The privileged side of both bridges (Electron IPC in desktop/main, the web console host's
 * Socket.io in desktop/web-host): what each request is answered with. A command is parsed
 * here, once, and handed to the core already valid; bad input is VALIDATION naming the
 * field and never reaches the core. No Electron import, so the web host and the tests share it.
 */
import type { ConsoleBackend, ConsoleView, ServerTimeAnswer } from './api.js';
import { parseCommand, type CommandResult } from './commands.js';

/** The answer to each bridge request (channels.ts BridgeRequests), from untrusted arguments. */
export interface BridgeAnswers {
  run(command: unknown, args: unknown): Promise<CommandResult>;
  view(): Promise<ConsoleView>;
  serverTime(): Promise<ServerTimeAnswer>;
}

/** Validate, then dispatch on the core; never throws (a failure becomes an INTERNAL result). */
export async function runGated(backend: ConsoleBackend, command: unknown, args: unknown): Promise<CommandResult> {
  const verdict = parseCommand(command, args);
  if (!verdict.ok) return verdict;
  try {
    return await backend.dispatch(verdict.valid);
  } catch (error) {
    return { ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  }
}

export function bridgeAnswers(backend: ConsoleBackend): BridgeAnswers {
  return {
    run: (command, args) => runGated(backend, command, args),
    view: () => backend.view(),
    serverTime: async () => {
      if (backend.serverTime) return backend.serverTime();
      // No time base on this backend: its own clock stands in, and the screen is told so.
      const now = Date.now();
      return { receivedAt: now, sentAt: now, offsetKnown: false };
    },
  };
}

/** React bindings of the ConsoleApi: the latest pushed view, and a command runner. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ConsoleApi, ConsoleView } from '../../../contract/api.js';
import type { CommandResult, ConsoleCommand, ConsoleCommandArgs } from '../../../contract/commands.js';

export const ConsoleApiContext = createContext<ConsoleApi | null>(null);

export function useConsoleApi(): ConsoleApi {
  const api = useContext(ConsoleApiContext);
  if (!api) throw new Error('ConsoleApiContext is not provided');
  return api;
}

/**
 * The view to render. Pushes arrive right after each local commit, so the screen follows
 * a keypress without any network round trip on the way.
 */
export function useConsoleView(): ConsoleView | null {
  const api = useConsoleApi();
  const [view, setView] = useState<ConsoleView | null>(null);
  useEffect(() => {
    let live = true;
    const unsubscribe = api.subscribe((next) => {
      // Render now, not at the scheduler's convenience: the push follows a local commit and
      // the operator must see it in the next frame.
      if (live) flushSync(() => setView(next));
    });
    // The initial fetch must not overwrite a newer push that raced it.
    api.view().then(
      (initial) => {
        if (live) setView((current) => current ?? initial);
      },
      // The host is away: the view arrives with the push after it reconnects.
      () => undefined,
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  return view;
}

export type Runner = <C extends ConsoleCommand>(command: C, args: ConsoleCommandArgs<C>) => Promise<CommandResult>;

/**
 * Runs a command and reports a refusal to `onRefused` (shown as a toast). Never rejects:
 * a call that fails on its way (the host link dropped, the bridge threw) is a refusal
 * too, so screens can fire commands from event handlers without a catch of their own.
 */
export function useRunner(onRefused: (result: Extract<CommandResult, { ok: false }>, command: string) => void): Runner {
  const api = useConsoleApi();
  return useCallback(
    async (command, args) => {
      const result = await api.run(command, args).catch(
        (error: unknown): CommandResult => ({
          ok: false,
          code: 'INTERNAL',
          message: `${command}: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
      if (!result.ok) onRefused(result, command);
      return result;
    },
    [api, onRefused],
  ) as Runner;
}

/** A timestamp that advances every `intervalMs`, for ticking displays. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

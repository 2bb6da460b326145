/**
 * The IPC bridge's decisions, with Electron's ipcMain replaced by a recorder (no Electron
 * binary here): who may run commands, what reaches the core, and where views are pushed.
 */
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleBackend, ConsoleView } from '../contract/api.js';
import type { CommandResult } from '../contract/commands.js';
import { BRIDGE_CHANNELS } from '../contract/channels.js';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerConsoleBridge } = await import('./ipc-bridge.js');

const indexHtml = '/opt/scoredesk/out/renderer/index.html';
const ourPage = pathToFileURL(indexHtml).href;

function fakeWindow(id: number) {
  const sent: Array<[string, unknown]> = [];
  return {
    sent,
    isDestroyed: () => false,
    webContents: { id, send: (channel: string, payload: unknown) => sent.push([channel, payload]) },
  };
}

function event(senderId: number, url: string | null) {
  return { sender: { id: senderId }, senderFrame: url === null ? null : { url } };
}

function recordingCore() {
  const calls: Array<[string, unknown]> = [];
  let listener: ((view: ConsoleView) => void) | null = null;
  const core: ConsoleBackend = {
    dispatch: async ({ command, args }): Promise<CommandResult> => {
      calls.push([command, args]);
      return { ok: true, seq: calls.length };
    },
    view: async () => ({ marker: 'view' }) as unknown as ConsoleView,
    subscribe: (l) => {
      listener = l;
      return () => (listener = null);
    },
  };
  return { core, calls, push: (view: ConsoleView) => listener?.(view), listening: () => listener !== null };
}

describe('console IPC bridge', () => {
  const operator = fakeWindow(1);
  const scoreboard = fakeWindow(2);
  let rig: ReturnType<typeof recordingCore>;
  let close: () => void;
  const logs: string[] = [];

  beforeEach(() => {
    handlers.clear();
    operator.sent.length = 0;
    scoreboard.sent.length = 0;
    rig = recordingCore();
    close = registerConsoleBridge({
      core: rig.core,
      renderer: { indexHtml },
      writers: () => [operator as never],
      readers: () => [operator as never, scoreboard as never],
      log: (m) => logs.push(m),
    });
  });

  const run = (ev: unknown, command: unknown, args: unknown) => handlers.get(BRIDGE_CHANNELS.run)!(ev, command, args);

  it('runs validated commands from the operator window', async () => {
    expect(await run(event(1, `${ourPage}#/`), 'score', { side: 'home' })).toEqual({ ok: true, seq: 1 });
    expect(rig.calls).toEqual([['score', { side: 'home' }]]);
  });

  it('refuses the spectator window, foreign pages and detached frames', async () => {
    for (const ev of [
      event(2, `${ourPage}#/scoreboard`),
      event(1, 'https://evil.example/'),
      event(1, 'file:///tmp/other.html'),
      event(1, null),
      event(99, ourPage),
    ]) {
      expect(await run(ev, 'score', { side: 'home' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(rig.calls).toEqual([]);
    expect(logs.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad arguments before the core sees them', async () => {
    const result = (await run(event(1, ourPage), 'score', { side: 'home', points: 100 })) as CommandResult;
    expect(result).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(await run(event(1, ourPage), 'eval', 'process.exit()')).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(rig.calls).toEqual([]);
  });

  it('serves the view to our pages only and pushes every view to every window', async () => {
    const view = handlers.get(BRIDGE_CHANNELS.view)!;
    expect(await view(event(2, `${ourPage}#/scoreboard`))).toEqual({ marker: 'view' });
    await expect(view(event(1, 'https://evil.example/'))).rejects.toThrow(/FORBIDDEN/);
    rig.push({ pushed: 1 } as unknown as ConsoleView);
    expect(operator.sent).toEqual([[BRIDGE_CHANNELS.viewPush, { pushed: 1 }]]);
    expect(scoreboard.sent).toEqual([[BRIDGE_CHANNELS.viewPush, { pushed: 1 }]]);
  });

  it('unregisters everything on close', () => {
    close();
    expect(handlers.size).toBe(0);
    expect(rig.listening()).toBe(false);
  });
});

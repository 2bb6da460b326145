/**
 * The one typed IPC bridge between the renderer and the console core:
 * invoke 'console:run' (validated by the command gate), invoke 'console:view', and a push of
 * every new view to every window. Only our renderer page may call it; only the operator
 * window may run commands (the spectator scoreboard reads).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { CommandResult, ConsoleApi, ConsoleView, ServerTimeAnswer } from '../core/console-api.js';
import { BRIDGE_CHANNELS } from '../preload/bridge-contract.js';
import { runGated } from './command-gate.js';
import { isTrustedRendererUrl, type RendererLocation } from './trusted-sender.js';

export interface BridgeOptions {
  core: ConsoleApi;
  renderer: RendererLocation;
  /** Windows allowed to run commands (the operator's), looked up at call time. */
  writers: () => BrowserWindow[];
  /** Every window that shows the view. */
  readers: () => BrowserWindow[];
  log: (message: string) => void;
}

export function registerConsoleBridge(options: BridgeOptions): () => void {
  const { core, renderer, writers, readers, log } = options;
  const fromOurPage = (event: IpcMainInvokeEvent) => isTrustedRendererUrl(event.senderFrame?.url, renderer);

  ipcMain.handle(BRIDGE_CHANNELS.run, async (event, command: unknown, args: unknown): Promise<CommandResult> => {
    const isWriter = writers().some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
    if (!fromOurPage(event) || !isWriter) {
      log(`refused console:run from ${event.senderFrame?.url ?? 'unknown frame'}`);
      return { ok: false, code: 'FORBIDDEN', message: 'this window may not run console commands' };
    }
    return runGated(core, command, args);
  });

  ipcMain.handle(BRIDGE_CHANNELS.view, async (event): Promise<ConsoleView> => {
    if (!fromOurPage(event)) throw new Error('FORBIDDEN: not the Scoredesk renderer');
    return core.view();
  });

  // Any of our windows may read the time base (the spectator board shows the game clock too).
  ipcMain.handle(BRIDGE_CHANNELS.serverTime, async (event): Promise<ServerTimeAnswer> => {
    if (!fromOurPage(event)) throw new Error('FORBIDDEN: not the Scoredesk renderer');
    if (core.serverTime) return core.serverTime();
    const now = Date.now();
    return { receivedAt: now, sentAt: now, offsetKnown: false };
  });

  const unsubscribe = core.subscribe((view) => {
    for (const win of readers()) {
      if (!win.isDestroyed()) win.webContents.send(BRIDGE_CHANNELS.viewPush, view);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(BRIDGE_CHANNELS.run);
    ipcMain.removeHandler(BRIDGE_CHANNELS.view);
    ipcMain.removeHandler(BRIDGE_CHANNELS.serverTime);
  };
}

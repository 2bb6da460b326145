/**
 * The one typed IPC bridge between the renderer and the console core:
 * invoke 'console:run' (validated once, desktop/contract/serve.ts), invoke 'console:view', and
 * a push of every new view to every window. Only our renderer page may call it; only the
 * operator window may run commands (the spectator scoreboard reads).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ConsoleBackend } from '../contract/api.js';
import { BRIDGE_CHANNELS, type BridgeRequests } from '../contract/channels.js';
import { bridgeAnswers } from '../contract/serve.js';
import { isTrustedRendererUrl, type RendererLocation } from './trusted-sender.js';

export interface BridgeOptions {
  core: ConsoleBackend;
  renderer: RendererLocation;
  /** Windows allowed to run commands (the operator's), looked up at call time. */
  writers: () => BrowserWindow[];
  /** Every window that shows the view. */
  readers: () => BrowserWindow[];
  log: (message: string) => void;
}

type Answer<K extends keyof BridgeRequests> = Promise<ReturnType<BridgeRequests[K]>>;

export function registerConsoleBridge(options: BridgeOptions): () => void {
  const { core, renderer, writers, readers, log } = options;
  const answers = bridgeAnswers(core);
  const fromOurPage = (event: IpcMainInvokeEvent) => isTrustedRendererUrl(event.senderFrame?.url, renderer);
  const ourPageOnly = (event: IpcMainInvokeEvent) => {
    if (!fromOurPage(event)) throw new Error('FORBIDDEN: not the Scoredesk renderer');
  };

  ipcMain.handle(
    BRIDGE_CHANNELS.run,
    async (event, command: unknown, args: unknown): Answer<typeof BRIDGE_CHANNELS.run> => {
      const isWriter = writers().some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
      if (!fromOurPage(event) || !isWriter) {
        log(`refused console:run from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, code: 'FORBIDDEN', message: 'this window may not run console commands' };
      }
      return answers.run(command, args);
    },
  );

  ipcMain.handle(BRIDGE_CHANNELS.view, async (event): Answer<typeof BRIDGE_CHANNELS.view> => {
    ourPageOnly(event);
    return answers.view();
  });

  // Any of our windows may read the time base (the spectator board shows the game clock too).
  ipcMain.handle(BRIDGE_CHANNELS.serverTime, async (event): Answer<typeof BRIDGE_CHANNELS.serverTime> => {
    ourPageOnly(event);
    return answers.serverTime();
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

/**
 * Preload (sandboxed, context-isolated): exposes exactly the ConsoleApi as window.scoredesk
 * and nothing else of Electron. Arguments are checked again in main (never trust a renderer).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConsoleApi, ConsoleView } from '../contract/api.js';
import { BRIDGE_CHANNELS } from '../contract/channels.js';

const scoredesk = {
  run: (command, args) => ipcRenderer.invoke(BRIDGE_CHANNELS.run, command, args),
  view: () => ipcRenderer.invoke(BRIDGE_CHANNELS.view),
  serverTime: () => ipcRenderer.invoke(BRIDGE_CHANNELS.serverTime),
  subscribe: (listener) => {
    // Wrap so the renderer never receives the IpcRendererEvent (it exposes `sender`).
    const handler = (_event: IpcRendererEvent, view: ConsoleView) => listener(view);
    ipcRenderer.on(BRIDGE_CHANNELS.viewPush, handler);
    return () => {
      ipcRenderer.removeListener(BRIDGE_CHANNELS.viewPush, handler);
    };
  },
} satisfies ConsoleApi;

contextBridge.exposeInMainWorld('scoredesk', scoredesk);

/**
 * Which bridge serves the ConsoleApi: the Electron preload's window.scoredesk when present,
 * else the web console host over Socket.io. The screen never knows the difference.
 */
import type { ConsoleApi } from '../../../contract/api.js';
import { createSocketConsoleApi, type SocketConsoleApi } from './socket-console-api.js';

export const PIN_STORAGE_KEY = 'scoredesk.consolePin';

export type Transport = { kind: 'electron'; api: ConsoleApi } | { kind: 'web'; api: SocketConsoleApi };

export function pickTransport(win: Window = window): Transport {
  if (win.scoredesk) return { kind: 'electron', api: win.scoredesk };
  // A PIN may come in the link the host printed (?pin=...) or from an earlier visit.
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('pin');
  if (fromUrl) {
    win.sessionStorage.setItem(PIN_STORAGE_KEY, fromUrl);
    // Keep the PIN out of the address bar and the history once read.
    url.searchParams.delete('pin');
    win.history.replaceState(null, '', url.toString());
  }
  const pin = fromUrl ?? win.sessionStorage.getItem(PIN_STORAGE_KEY);
  return { kind: 'web', api: createSocketConsoleApi({ pin }) };
}

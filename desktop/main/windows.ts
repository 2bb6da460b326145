/**
 * The two windows: the operator's console and the spectator scoreboard for a venue screen.
 * Both load the same renderer (different hash routes) with the same locked-down preferences.
 */
import path from 'node:path';
import { BrowserWindow, screen, shell, type WebContents } from 'electron';
import { isTrustedRendererUrl } from './trusted-sender.js';

export interface RendererPaths {
  indexHtml: string;
  preload: string;
  devServerUrl?: string | undefined;
}

export type WindowRole = 'operator' | 'scoreboard';

const ROUTES: Record<WindowRole, string> = { operator: '/', scoreboard: '/scoreboard' };

export function rendererPaths(mainDir: string): RendererPaths {
  return {
    indexHtml: path.join(mainDir, '../renderer/index.html'),
    preload: path.join(mainDir, '../preload/index.cjs'),
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  };
}

/**
 * @param openScoreboard called when the operator's page asks for the spectator board
 *   (its "Spectator scoreboard" link): main opens its own window instead of a popup.
 */
export function createWindow(role: WindowRole, paths: RendererPaths, openScoreboard: () => void): BrowserWindow {
  const external =
    role === 'scoreboard' ? screen.getAllDisplays().find((d) => d.id !== screen.getPrimaryDisplay().id) : undefined;
  const win = new BrowserWindow({
    width: role === 'operator' ? 1280 : 960,
    height: role === 'operator' ? 820 : 540,
    ...(external ? { x: external.bounds.x, y: external.bounds.y, fullscreen: true } : {}),
    title: role === 'operator' ? 'Scoredesk console' : 'Scoredesk scoreboard',
    backgroundColor: role === 'operator' ? '#10151c' : '#000000',
    autoHideMenuBar: role === 'scoreboard',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  lockDown(win.webContents, paths, openScoreboard);
  const route = ROUTES[role];
  if (paths.devServerUrl) void win.loadURL(`${paths.devServerUrl}#${route}`);
  else void win.loadFile(paths.indexHtml, { hash: route });
  return win;
}

/** No navigation away from the app, no new windows, no permissions; links open in the browser. */
function lockDown(contents: WebContents, paths: RendererPaths, openScoreboard: () => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isTrustedRendererUrl(url, paths) && new URL(url).hash.startsWith('#/scoreboard')) openScoreboard();
    else if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, paths)) event.preventDefault();
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

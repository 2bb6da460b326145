/**
 * Electron main process, kept thin: window lifecycle, the console core (SQLite in the user
 * data folder) and one IPC bridge. All scoring logic lives in desktop/core.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, powerMonitor } from 'electron';
import { createConsoleCore, type ConsoleCore } from '../core/index.js';
import { registerConsoleBridge } from './ipc-bridge.js';
import { watchPower, type Every, type PowerSource } from './power.js';
import { safeStorageVault } from './safe-storage-vault.js';
import { findElectronNativeBinding } from './native-binding.js';
import { createWindow, rendererPaths, type WindowRole } from './windows.js';

const paths = rendererPaths(import.meta.dirname);
const windows: Record<WindowRole, BrowserWindow | null> = { operator: null, scoreboard: null };
const log = (message: string) => console.log(`[scoredesk main] ${message}`);

function openWindow(role: WindowRole): BrowserWindow {
  const existing = windows[role];
  if (existing && !existing.isDestroyed()) {
    existing.focus();
    return existing;
  }
  const win = createWindow(role, paths, () => openWindow('scoreboard'));
  windows[role] = win;
  win.on('closed', () => {
    windows[role] = null;
  });
  return win;
}

function installMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      {
        label: 'View',
        submenu: [
          {
            label: 'Spectator scoreboard window',
            accelerator: 'CmdOrCtrl+Shift+B',
            click: () => openWindow('scoreboard'),
          },
          { type: 'separator' },
          { role: 'togglefullscreen' },
          ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        ],
      },
    ]),
  );
}

/**
 * Device health: Electron's powerMonitor says whether the machine runs on battery (the logic
 * in power.ts, tested without Electron); the level comes from the renderer's Battery API
 * through the preload bridge (reportBattery).
 */
function watchPowerMonitor(core: ConsoleCore): () => void {
  const every: Every = (ms, run) => {
    const timer = setInterval(run, ms);
    return () => clearInterval(timer);
  };
  return watchPower(powerMonitor satisfies PowerSource, (onBattery) => core.setOnBattery(onBattery), {
    platform: process.platform,
    every,
  });
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    // One console per machine: a second instance would fight over the SQLite file.
    app.quit();
    return;
  }
  await app.whenReady();

  const native = findElectronNativeBinding(app.getAppPath());
  if (!native.ok) {
    dialog.showErrorBox('Scoredesk cannot open its database', native.message);
    app.exit(1);
    return;
  }
  let core: ConsoleCore;
  try {
    core = await createConsoleCore({
      dataDir: app.getPath('userData'),
      nativeBinding: native.path,
      appVersion: app.getVersion(),
      // The device token in the OS keychain (safeStorage), never in the SQLite file.
      tokenVault: safeStorageVault(app.getPath('userData'), log),
    });
  } catch (error) {
    // Typically an ABI mismatch (rebuilt for another Electron) or a database from a newer version.
    dialog.showErrorBox('Scoredesk cannot open its database', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  const closeBridge = registerConsoleBridge({
    core,
    renderer: paths,
    writers: () => (windows.operator ? [windows.operator] : []),
    readers: () => [windows.operator, windows.scoreboard].filter((w): w is BrowserWindow => w !== null),
    log,
  });

  const stopPower = watchPowerMonitor(core);
  installMenu();
  openWindow('operator');
  app.on('second-instance', () => openWindow('operator'));
  app.on('activate', () => openWindow('operator'));

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    // Close the core (flush the outbox state, close SQLite) before the process ends.
    event.preventDefault();
    closing = true;
    stopPower();
    closeBridge();
    void core.close().finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  log(`data folder ${path.resolve(app.getPath('userData'))}`);
}

void start();

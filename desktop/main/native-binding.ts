/**
 * Where main finds better-sqlite3 built for Electron's ABI. The copy in node_modules is the
 * plain-Node build that tests and the server use; scripts/electron-rebuild.mjs writes the
 * Electron build beside it, into .electron-native/, and main passes that file to the core as
 * better-sqlite3's `nativeBinding`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Keep in sync with outDir in scripts/electron-rebuild.mjs. */
export const ELECTRON_NATIVE_DIR = '.electron-native';

export function electronNativeBindingPath(appRoot: string): string {
  return path.join(
    appRoot,
    ELECTRON_NATIVE_DIR,
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

export type NativeBindingLookup = { ok: true; path: string } | { ok: false; path: string; message: string };

export function findElectronNativeBinding(appRoot: string): NativeBindingLookup {
  const file = electronNativeBindingPath(appRoot);
  if (existsSync(file)) return { ok: true, path: file };
  return {
    ok: false,
    path: file,
    message: `The SQLite module built for Electron is missing (${file}). Run "npm run electron:rebuild" first.`,
  };
}

/**
 * Where the console keeps its device token (issue 12): never in the SQLite file, never the
 * password. Electron's main process encrypts it with safeStorage (the operating system's
 * keychain: Keychain, DPAPI, libsecret) where that is available (desktop/main/
 * safe-storage-vault.ts); everywhere else, and in the web console host, it is a file only
 * its owner can read (0600). Revoking the token on the server stops the console: it asks
 * for a sign-in again.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TokenVault {
  /** Where the token lives, for the log and the settings screen. */
  readonly kind: 'os-keychain' | 'file';
  load(): string | null;
  /** null: forget it (revoked, expired, or another server configured). */
  save(token: string | null): void;
}

/** Owner read/write only: another account on the machine cannot read the token. */
export const TOKEN_FILE_MODE = 0o600;
export const TOKEN_FILE_NAME = 'device-token';

/** Writes `content` to `file` atomically with mode 0600 (a crash leaves the old file or the new). */
export function writePrivateFile(file: string, content: string | Buffer): void {
  const temp = `${file}.tmp`;
  writeFileSync(temp, content, { mode: TOKEN_FILE_MODE });
  // The mode given to writeFileSync is masked by umask and ignored for an existing file.
  chmodSync(temp, TOKEN_FILE_MODE);
  renameSync(temp, file);
}

export function fileTokenVault(dataDir: string, fileName = TOKEN_FILE_NAME): TokenVault {
  const file = path.join(dataDir, fileName);
  return {
    kind: 'file',
    load() {
      if (!existsSync(file)) return null;
      const token = readFileSync(file, 'utf8').trim();
      return token.length ? token : null;
    },
    save(token) {
      if (token === null) rmSync(file, { force: true });
      else writePrivateFile(file, token);
    },
  };
}

/**
 * The device token in Electron's main process (issue 12): encrypted with safeStorage (the
 * operating system's keychain: macOS Keychain, Windows DPAPI, libsecret/kwallet on Linux)
 * into a 0600 file of the data folder. Where safeStorage cannot encrypt (Linux without a
 * keyring, where it would fall back to a hard-coded key), the plain 0600 file of
 * desktop/core is used instead, and the log says so. The renderer never sees the token:
 * it stays in the main process, behind the preload bridge (desktop/preload).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { fileTokenVault, writePrivateFile, type TokenVault } from '../core/sync/token-vault.js';

const ENCRYPTED_FILE_NAME = 'device-token.enc';

/** On Linux, 'basic_text' means no keyring: safeStorage would "encrypt" with a fixed key. */
function keychainAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export function safeStorageVault(dataDir: string, log: (message: string) => void): TokenVault {
  if (!keychainAvailable()) {
    log('device token: no OS keychain (safeStorage unavailable); kept in a 0600 file');
    return fileTokenVault(dataDir);
  }
  const file = path.join(dataDir, ENCRYPTED_FILE_NAME);
  // A token kept in the plain file before a keychain appeared moves into the keychain.
  const plain = fileTokenVault(dataDir);
  return {
    kind: 'os-keychain',
    load() {
      const legacy = plain.load();
      if (legacy) {
        writePrivateFile(file, safeStorage.encryptString(legacy));
        plain.save(null);
        return legacy;
      }
      if (!existsSync(file)) return null;
      try {
        return safeStorage.decryptString(readFileSync(file));
      } catch {
        // Another user's or machine's keychain: unreadable, sign in again.
        log('device token: cannot be decrypted here; sign in again');
        return null;
      }
    },
    save(token) {
      if (token === null) rmSync(file, { force: true });
      else writePrivateFile(file, safeStorage.encryptString(token));
    },
  };
}

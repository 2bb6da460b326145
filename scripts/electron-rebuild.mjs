#!/usr/bin/env node
/**
 * Build better-sqlite3 for Electron's ABI into .electron-native/, never in place.
 *
 * Tests and the server run on plain Node and load node_modules/better-sqlite3 as installed;
 * an Electron build there would break them (ABI mismatch). So we copy the module's sources
 * into a separate folder, rebuild that copy with @electron/rebuild, and desktop/main loads it
 * through better-sqlite3's `nativeBinding` option (see desktop/main/native-binding.ts).
 *
 * Needs Electron's headers (downloaded by node-gyp from electronjs.org, or a local mirror given
 * with ELECTRON_HEADERS_URL) and a C++ toolchain.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rebuild } from '@electron/rebuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = 'better-sqlite3';
/** Keep in sync with ELECTRON_NATIVE_DIR in desktop/main/native-binding.ts. */
const outDir = path.join(root, '.electron-native');
const source = path.join(root, 'node_modules', MODULE);
const plainBinary = path.join(source, 'build', 'Release', 'better_sqlite3.node');
const electronBinary = path.join(outDir, 'node_modules', MODULE, 'build', 'Release', 'better_sqlite3.node');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function fingerprint(file) {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
}

const electronVersion =
  process.env.ELECTRON_VERSION ?? readJson(path.join(root, 'node_modules/electron/package.json')).version;
const moduleVersion = readJson(path.join(source, 'package.json')).version;
const before = fingerprint(plainBinary);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(path.join(outDir, 'node_modules'), { recursive: true });
writeFileSync(
  path.join(outDir, 'package.json'),
  JSON.stringify(
    { name: 'scoredesk-electron-native', private: true, dependencies: { [MODULE]: moduleVersion } },
    null,
    2,
  ),
);
// Sources only: the plain-Node build output stays where it is.
cpSync(source, path.join(outDir, 'node_modules', MODULE), {
  recursive: true,
  filter: (file) => !file.startsWith(path.join(source, 'build')),
});

console.log(`rebuilding ${MODULE}@${moduleVersion} for Electron ${electronVersion} in ${outDir}`);
await rebuild({
  buildPath: outDir,
  projectRootPath: outDir,
  electronVersion,
  onlyModules: [MODULE],
  force: true,
  buildFromSource: true,
  ...(process.env.ELECTRON_HEADERS_URL ? { headerURL: process.env.ELECTRON_HEADERS_URL } : {}),
});

if (!existsSync(electronBinary)) {
  console.error(`rebuild finished but ${electronBinary} is missing`);
  process.exit(1);
}
if (fingerprint(plainBinary) !== before) {
  console.error(`the plain-Node build ${plainBinary} changed: run npm rebuild ${MODULE} before testing`);
  process.exit(1);
}
console.log(`Electron build of ${MODULE}: ${electronBinary}`);

/**
 * Files the server reads at run time (migrations, overlay pages, shared scripts) are named
 * from the repository's root, found from this module's URL. The server runs from its
 * sources (tsx: tests, development) and from the compiled bundle in out/server/
 * (`npm run server`, scripts/server.mjs), so a path relative to one module's own file
 * would be right in one of the two only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Scoredesk checkout above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

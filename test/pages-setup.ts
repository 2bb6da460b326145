/**
 * Builds the overlay pages and the court wall once per run when their sources changed
 * (server/broadcast/pages-build.ts), as `npm run server` does on its way up: every server
 * the tests start, in-process or as a child, serves that build.
 */
import { ensurePagesBuild } from '../server/broadcast/pages-build.js';

export async function setup(): Promise<void> {
  await ensurePagesBuild();
}

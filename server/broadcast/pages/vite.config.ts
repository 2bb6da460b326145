/**
 * The overlays (scorebug, courts strip) and the court wall: three plain HTML pages, each
 * with one TypeScript entry, built into out/broadcast-pages/ (`npm run build:pages`, or
 * ensurePagesBuild on the server's way up: server/broadcast/pages-build.ts). They bundle
 * socket.io-client, zod and the shared/ modules they import, so a graphics machine loads
 * them from the server alone: no dev server, nothing from elsewhere (the pages' CSP).
 */
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { PAGE_FILES, PAGES_ASSETS_DIR, PAGES_OUT_DIR, PAGES_SOURCE_DIR, writeBuildStamp } from '../pages-build.js';

/**
 * The browsers the pages must run in: CasparCG's HTML producer and OBS's browser source
 * embed Chromium releases years behind the current one. This is the floor the hand-written
 * pages had (ES2020 and ??=), Vite's former "modules" default.
 */
const BROWSER_TARGETS = ['chrome87', 'edge88', 'firefox78', 'safari14'];

/** Records every file of this checkout the build read, for the stamp that says when to rebuild. */
function buildStamp(): Plugin {
  const sources = new Set<string>();
  let outDir = PAGES_OUT_DIR;
  return {
    name: 'scoredesk-pages-build-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    load(id) {
      const file = id.split('?')[0] ?? id;
      if (path.isAbsolute(file) && !file.includes(`${path.sep}node_modules${path.sep}`)) sources.add(file);
      return null;
    },
    closeBundle() {
      writeBuildStamp(outDir, sources);
    },
  };
}

export default defineConfig({
  root: PAGES_SOURCE_DIR,
  // Absolute: the pages are served at /overlays/scorebug and /director, the assets at /broadcast-assets/.
  base: '/',
  appType: 'mpa',
  publicDir: false,
  logLevel: 'warn',
  plugins: [buildStamp()],
  build: {
    outDir: PAGES_OUT_DIR,
    emptyOutDir: true,
    assetsDir: PAGES_ASSETS_DIR,
    target: BROWSER_TARGETS,
    // Maps beside the scripts: an overlay misbehaving on a broadcast machine is read in its sources.
    sourcemap: true,
    rolldownOptions: {
      input: Object.fromEntries(
        PAGE_FILES.map((page) => [page.replace(/\.html$/, ''), path.join(PAGES_SOURCE_DIR, page)]),
      ),
      output: {
        // Stable entry names (/broadcast-assets/scorebug.js); shared chunks carry a hash.
        entryFileNames: `${PAGES_ASSETS_DIR}/[name].js`,
        chunkFileNames: `${PAGES_ASSETS_DIR}/chunks/shared-[hash].js`,
        assetFileNames: `${PAGES_ASSETS_DIR}/[name][extname]`,
      },
    },
  },
});

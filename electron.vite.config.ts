/**
 * electron-vite build of the desktop console: main (Node, ESM), preload (sandboxed, so CJS)
 * and the React renderer (the same app the web console host serves).
 */
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * The page's CSP allows only its own scripts and connections. The dev server (electron-vite dev)
 * needs React's inline refresh preamble and its HMR socket: relax the policy there only.
 */
function devServerCsp(): Plugin {
  return {
    name: 'scoredesk-dev-server-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http:"),
  };
}

export default defineConfig({
  main: {
    build: {
      lib: { entry: path.join(root, 'desktop/main/index.ts') },
      // Native: loaded at run time from the Electron rebuild in .electron-native/ (see scripts/electron-rebuild.mjs).
      rolldownOptions: { external: ['better-sqlite3'] },
    },
  },
  preload: {
    build: {
      lib: { entry: path.join(root, 'desktop/preload/index.ts') },
      // A sandboxed preload is evaluated as a classic script: it must be CommonJS.
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: path.join(root, 'desktop/renderer'),
    base: './',
    plugins: [react(), devServerCsp()],
    build: {
      outDir: path.join(root, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: path.join(root, 'desktop/renderer/index.html') },
    },
  },
});

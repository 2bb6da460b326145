/**
 * Stand-alone build of the operator's screen for the web console host (npm run build:renderer).
 * Same root, plugins and output as the renderer part of electron.vite.config.ts.
 */
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export const RENDERER_ROOT = import.meta.dirname;
export const DEFAULT_RENDERER_OUT_DIR = path.resolve(RENDERER_ROOT, '../../out/renderer');

export default defineConfig({
  root: RENDERER_ROOT,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: DEFAULT_RENDERER_OUT_DIR, emptyOutDir: true },
});

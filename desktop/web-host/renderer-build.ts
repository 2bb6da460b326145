/**
 * The web host serves the same React renderer Electron loads. If no build is there (or a
 * rebuild is asked for), build it now with desktop/renderer/vite.config.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const RENDERER_CONFIG = path.resolve(import.meta.dirname, '../renderer/vite.config.ts');
export const DEFAULT_RENDERER_DIR = path.resolve(import.meta.dirname, '../../out/renderer');

export async function ensureRendererBuild(
  options: { outDir?: string; force?: boolean } = {},
): Promise<{ dir: string; built: boolean }> {
  const dir = path.resolve(options.outDir ?? DEFAULT_RENDERER_DIR);
  if (!options.force && existsSync(path.join(dir, 'index.html'))) return { dir, built: false };
  // Imported lazily: starting the host with an existing build should not load the bundler.
  const { build } = await import('vite');
  await build({ configFile: RENDERER_CONFIG, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return { dir, built: true };
}

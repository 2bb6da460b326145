/**
 * Builds the NodeCG bundle: `extension/index.js` is one CommonJS file (what NodeCG
 * requires) with socket.io-client, zod and the shared schemas inside, so a graphics team
 * copies the bundle folder into NodeCG's bundles/ and needs no npm install there.
 *
 *   npm run build:nodecg            builds into integrations/nodecg/scoredesk/
 *   npm run build:nodecg -- DIR     a ready bundle folder at DIR (copies the static files)
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

export const BUNDLE_SOURCE_DIR = path.join(import.meta.dirname, 'scoredesk');
const ENTRY = path.join(import.meta.dirname, 'src/extension.ts');
/** What NodeCG reads from a bundle folder besides the extension. */
const STATIC_FILES = ['package.json', 'configschema.json', 'graphics'];

export async function buildBundle(outDir: string = BUNDLE_SOURCE_DIR): Promise<string> {
  const target = path.resolve(outDir);
  if (target !== BUNDLE_SOURCE_DIR) {
    mkdirSync(target, { recursive: true });
    for (const file of STATIC_FILES)
      cpSync(path.join(BUNDLE_SOURCE_DIR, file), path.join(target, file), { recursive: true });
  }
  await build({
    configFile: false,
    logLevel: 'warn',
    root: import.meta.dirname,
    build: {
      ssr: ENTRY,
      outDir: path.join(target, 'extension'),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'index.js', exports: 'default' } },
    },
    // Everything inside: the bundle folder has no node_modules of its own.
    ssr: { noExternal: true, target: 'node' },
  });
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await buildBundle(process.argv[2]);
  console.log(`[nodecg] bundle built in ${out}`);
}

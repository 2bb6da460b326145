/**
 * Source lines for CPU profile entries of TypeScript modules. tsx compiles each module with
 * esbuild (whitespace minified, so V8 reports nearly everything on line 1) and hands Node
 * the result; the profile has only positions in that output. The same transform is run
 * here again (tsx's esbuild options) and the position mapped back through its source map.
 * Without esbuild, or when a file cannot be read, the answer is null (the caller keeps V8's).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type TransformSync = (
  code: string,
  options: Record<string, unknown>,
) => {
  code: string;
  map: string;
};

let transformSync: TransformSync | null | undefined;
const maps = new Map<string, SourceMap | null>();

async function loadEsbuild(): Promise<TransformSync | null> {
  if (transformSync !== undefined) return transformSync;
  try {
    // tsx's own dependency (and vite's): the compiler whose output V8 ran.
    const esbuild = (await import('esbuild' as string)) as { transformSync: TransformSync };
    transformSync = esbuild.transformSync;
  } catch {
    transformSync = null;
  }
  return transformSync;
}

function tsconfigRaw(file: string): Record<string, unknown> | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (existsSync(candidate)) {
      try {
        return JSON.parse(readFileSync(candidate, 'utf8')) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function sourceMapOf(file: string, transform: TransformSync): SourceMap | null {
  if (maps.has(file)) return maps.get(file)!;
  let map: SourceMap | null = null;
  try {
    const out = transform(readFileSync(file, 'utf8'), {
      // tsx 4: { target: node<version>, sourcemap, minifyWhitespace, keepNames, format: esm, sourcefile, tsconfigRaw }.
      target: `node${process.versions.node}`,
      loader: path.extname(file).slice(1) === 'tsx' ? 'tsx' : 'ts',
      sourcemap: true,
      minifyWhitespace: true,
      keepNames: true,
      format: 'esm',
      sourcefile: file,
      tsconfigRaw: tsconfigRaw(file),
    });
    map = new SourceMap(JSON.parse(out.map));
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

/** The 1-based source line of a position (0-based, as in a CPU profile) in a .ts module, or null. */
export async function sourceLine(url: string, line: number, column: number): Promise<number | null> {
  if (!url.startsWith('file://') || !/\.(ts|tsx|mts)$/.test(url) || url.includes('/node_modules/')) return null;
  const transform = await loadEsbuild();
  if (!transform) return null;
  const map = sourceMapOf(fileURLToPath(url), transform);
  const entry = map?.findEntry(line, column) as { originalLine?: number } | undefined;
  return typeof entry?.originalLine === 'number' ? entry.originalLine + 1 : null;
}

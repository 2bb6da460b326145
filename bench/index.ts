/**
 * `npm run bench [filter...]`: runs every bench/*.bench.ts (or those whose file name
 * contains one of the filters) one after another, prints each table, and writes it into
 * docs/benchmarks.md between <!-- bench:NAME --> and <!-- /bench:NAME -->, keeping the
 * other sections as they are.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchResult } from './types.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const DOC = path.join(BENCH_DIR, '..', 'docs', 'benchmarks.md');
const DOC_HEADER =
  '# Benchmarks\n\nWritten by `npm run bench` (bench/index.ts); each section is replaced when its bench runs again.\n' +
  'Figures are from the machine that ran them last; compare ratios, not absolute times.\n';

function benchFiles(filters: string[]): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((want) => f.includes(want)))
    .sort();
}

/** The doc with the section for `result` replaced, or appended when new. */
export function withSection(doc: string, result: BenchResult, ranAt: string): string {
  const open = `<!-- bench:${result.name} -->`;
  const close = `<!-- /bench:${result.name} -->`;
  const body = `${open}\n## ${result.name}\n\n_Run ${ranAt}, Node ${process.version}._\n\n${result.table.trim()}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start !== -1 && end > start) return doc.slice(0, start) + body + doc.slice(end + close.length);
  return `${doc.trimEnd()}\n\n${body}\n`;
}

async function main(): Promise<void> {
  const files = benchFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.error(`no bench/*.bench.ts matches ${process.argv.slice(2).join(' ')}`);
    process.exitCode = 1;
    return;
  }
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as { default: Bench };
    console.log(`\n## ${file}`);
    const result = await mod.default();
    console.log(result.table);
    console.log(JSON.stringify({ bench: result.name, ...result.summary }));
    const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : DOC_HEADER;
    writeFileSync(DOC, withSection(doc, result, new Date().toISOString()));
  }
  console.log(`\nwritten: ${path.relative(process.cwd(), DOC)}`);
}

await main();

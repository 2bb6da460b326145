/**
 * The overlay pages' build (pages-build.ts, pages/vite.config.ts) into a temporary folder:
 * built when missing, reused while the sources are as stamped, rebuilt when a file it read
 * differs from its stamp; the HTML loads only bundled scripts under /broadcast-assets/.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePagesBuild, isBuildFresh, PAGE_FILES } from './pages-build.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-pages-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('overlay pages build', () => {
  const outDir = path.join(dir, 'pages');

  it('builds when missing, reuses a build of the same sources, rebuilds when a source differs', async () => {
    expect(await ensurePagesBuild({ outDir })).toEqual({ dir: outDir, built: true });
    expect(isBuildFresh(outDir)).toBe(true);
    expect(await ensurePagesBuild({ outDir })).toEqual({ dir: outDir, built: false });

    // The stamp says what each file read was: one that no longer matches makes the build stale.
    const stampFile = path.join(outDir, '.build-stamp.json');
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(stamp.files)).toEqual(
      expect.arrayContaining(['server/broadcast/pages/assets/lib/live-feed.ts', 'shared/protocol.ts']),
    );
    stamp.files['shared/protocol.ts'] = 'not the hash of that file';
    writeFileSync(stampFile, JSON.stringify(stamp));
    expect(isBuildFresh(outDir)).toBe(false);
    expect(await ensurePagesBuild({ outDir })).toEqual({ dir: outDir, built: true });
    expect(isBuildFresh(outDir)).toBe(true);
    // Nothing left beside it: the staging folder became the build, the old one is gone.
    expect(readdirSync(dir)).toEqual(['pages']);
  });

  it('gives plain pages: one bundled module script from /broadcast-assets/ each, nothing inline', () => {
    for (const page of PAGE_FILES) {
      const html = readFileSync(path.join(outDir, page), 'utf8');
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
      expect(scripts, page).toHaveLength(1);
      expect(scripts[0], page).toMatch(/type="module"[^>]* src="\/broadcast-assets\/\w+\.js"/);
      expect(html, page).not.toMatch(/<script\b[^>]*>\s*[^<\s]/); // no inline code (the pages' CSP refuses it)
      expect(html, page).not.toMatch(/\.ts"/);
      const entry = /src="\/broadcast-assets\/(\w+\.js)"/.exec(html)?.[1] ?? '';
      expect(existsSync(path.join(outDir, 'broadcast-assets', entry)), `${page}: ${entry}`).toBe(true);
    }
  });
});

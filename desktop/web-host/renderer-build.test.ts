import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRendererBuild } from './renderer-build.js';

const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-renderer-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderer build for the web host', () => {
  it('builds when the output is missing, reuses it after, and rebuilds on request', async () => {
    const outDir = path.join(dir, 'renderer');
    const first = await ensureRendererBuild({ outDir });
    expect(first).toEqual({ dir: outDir, built: true });
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    // Relative asset paths: the same build loads from file:// in Electron and from the host.
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
    expect(html).toContain('Content-Security-Policy');
    expect(await ensureRendererBuild({ outDir })).toEqual({ dir: outDir, built: false });
    expect(await ensureRendererBuild({ outDir, force: true })).toEqual({ dir: outDir, built: true });
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
  });
});

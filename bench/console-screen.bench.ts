/**
 * Keypress to screen on the operator's console, through the web console host: Chromium presses
 * the point key, the renderer sends console:run over the local Socket.io, the core commits to
 * SQLite (synchronous=FULL) and pushes the new view, and the score's text node changes. Measured
 * in the page (keydown in the capture phase -> MutationObserver on the score), so it is what the
 * operator sees minus the paint. References in the same run: the core alone (run('score') ->
 * view listener, in process) and one display frame at 60 Hz (16.7 ms).
 * No server: the keypress path must not depend on one. BENCH_SCREEN_PRESSES scales it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { createConsoleCore } from '../desktop/core/index.js';
import type { ConsoleView } from '../desktop/contract/api.js';
import { startConsoleHost } from '../desktop/web-host/host.js';
import { ensureRendererBuild } from '../desktop/web-host/renderer-build.js';
import type { BenchResult } from './types.js';

const PRESSES = Number(process.env.BENCH_SCREEN_PRESSES ?? 200);
const WARMUP = 20;
/** One frame at 60 Hz: the budget for "responds within one frame". */
const FRAME_MS = 1000 / 60;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
/** A port that refuses at once: the core stays offline, as a console in a cut network. */
const NO_SERVER = 'http://127.0.0.1:9';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const ms = (v: number) => v.toFixed(2);

export default async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-bench-screen-'));
  const core = await createConsoleCore({
    dataDir: path.join(dir, 'console'),
    serverUrl: NO_SERVER,
    logger: pino({ level: 'silent' }),
  });
  const renderer = await ensureRendererBuild({ outDir: path.join(dir, 'renderer'), force: true });
  const host = await startConsoleHost({
    core,
    rendererDir: renderer.dir,
    host: '127.0.0.1',
    port: 0,
    pin: null,
    log: pino({ level: 'silent' }),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    // Generic sport: points never end a set, so every press changes the big number.
    await core.run('createMatch', { sport: 'generic', court: 'B1', home: { name: 'Home' }, away: { name: 'Away' } });
    await core.run('start', {});

    // Reference: the core alone, command to pushed view.
    const inProcess: number[] = [];
    for (let i = 0; i < WARMUP + PRESSES; i++) {
      const start = performance.now();
      const pushed = new Promise<void>((resolve) => {
        const off = core.subscribe((_view: ConsoleView) => {
          off();
          resolve();
        });
      });
      await core.run('score', { side: 'away' });
      await pushed;
      if (i >= WARMUP) inProcess.push(performance.now() - start);
    }

    const page = await browser.newPage();
    await page.goto(host.url);
    await page.waitForSelector('[data-testid="score-home"]');
    await page.evaluate(() => {
      const w = window as unknown as { __t0: number; __lat: number[] };
      w.__t0 = 0;
      w.__lat = [];
      document.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
      new MutationObserver(() => {
        if (w.__t0) w.__lat.push(performance.now() - w.__t0);
        w.__t0 = 0;
      }).observe(document.querySelector('[data-testid="score-home"]')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    for (let i = 0; i < WARMUP + PRESSES; i++) {
      await page.keyboard.press('a');
      await page.waitForFunction((n) => (window as unknown as { __lat: number[] }).__lat.length >= n, i + 1);
    }
    const screen = (await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat)).slice(WARMUP);
    const view = await core.view();
    if (view.snapshot?.home.score !== WARMUP + PRESSES)
      throw new Error(`expected ${WARMUP + PRESSES} home points, saw ${view.snapshot?.home.score}`);

    const s50 = percentile(screen, 50);
    const s95 = percentile(screen, 95);
    const c50 = percentile(inProcess, 50);
    const c95 = percentile(inProcess, 95);
    const table = [
      `${PRESSES} key presses in headless Chromium through the web console host (after ${WARMUP} warm-up presses), no server.`,
      'Read: the screen path should stay well under one frame; its excess over the core alone is the bridge (Socket.io over loopback + React render).',
      '',
      '| path | median ms | p95 ms | median / core alone | median / one frame (16.7 ms) |',
      '|---|---|---|---|---|',
      `| core alone: run('score') -> view pushed (reference) | ${ms(c50)} | ${ms(c95)} | 1.00 | ${(c50 / FRAME_MS).toFixed(2)} |`,
      `| keydown -> score text changed in the page | ${ms(s50)} | ${ms(s95)} | ${(s50 / c50).toFixed(2)} | ${(s50 / FRAME_MS).toFixed(2)} |`,
    ].join('\n');
    return {
      name: 'console-screen',
      table,
      summary: {
        presses: PRESSES,
        screenMedianMs: +ms(s50),
        screenP95Ms: +ms(s95),
        coreMedianMs: +ms(c50),
        screenOverCore: +(s50 / c50).toFixed(2),
        screenOverFrame: +(s50 / FRAME_MS).toFixed(2),
      },
    };
  } finally {
    await browser.close();
    await host.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Console core helpers the benches share: score a match in a real console core, and the
 * re-sync after an outage (a backlog scored with the server down, then a real server child
 * on real PostgreSQL; timed from the console's connection to every event confirmed).
 * bench/console.bench.ts reports it against a naive outbox; bench/pipeline.bench.ts against its target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createConsoleCore, type ConsoleCore } from '../../desktop/core/console-core.js';
import { freeLoopbackPort } from '../../test/support/ports.js';
import { CHILD_ADMIN_PASSWORD, spawnServer } from '../../test/support/server-process.js';

const DRAIN_TIMEOUT_MS = 300_000;
export const silent = pino({ level: 'silent' });

export interface ResyncResult {
  events: number;
  pushChunkEvents: number;
  /** From the console's first connection to every event confirmed. */
  seconds: number;
  perS: number;
  /** How long the console's reconnect backoff kept it away after the server was ready (not counted). */
  waitedForBackoffS: number;
}

export interface ResyncOptions {
  /** Server entry (absolute, or relative to this checkout): another checkout's server/main.ts. */
  entry?: string;
}

export async function scoreMany(core: ConsoleCore, n: number, latencies?: number[]): Promise<void> {
  const created = await core.run('createMatch', {
    sport: 'generic',
    court: 'B1',
    home: { name: 'H' },
    away: { name: 'A' },
  });
  if (!created.ok) throw new Error(created.message);
  await core.run('start', {});
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await core.run('score', { side: i % 2 ? 'home' : 'away' });
    latencies?.push(performance.now() - t0);
    if (!r.ok) throw new Error(r.message);
  }
}

async function waitDrained(core: ConsoleCore): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const v = await core.view();
    if (v.sync.pendingTotal === 0 && v.sync.state === 'live') return;
    if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(v.sync)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function resync(
  databaseUrl: string,
  events: number,
  pushChunkEvents: number,
  options: ResyncOptions = {},
): Promise<ResyncResult> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-bench-resync-'));
  const core = await createConsoleCore({
    dataDir: dir,
    serverUrl: `http://127.0.0.1:${port}`,
    credentials: { username: 'admin', password: CHILD_ADMIN_PASSWORD },
    court: 'B1',
    logger: silent,
    tuning: { pushChunkEvents },
  });
  await scoreMany(core, events - 1);
  const server = await spawnServer({ databaseUrl, port, ...(options.entry ? { entry: options.entry } : {}) });
  try {
    // The console may be deep in its backoff: measure from its first connection, not from server start.
    const ready = performance.now();
    let connectedAt = 0;
    for (;;) {
      const v = await core.view();
      if (v.sync.state !== 'offline' && v.sync.state !== 'connecting') {
        connectedAt = performance.now();
        break;
      }
      if (performance.now() - ready > 60_000) throw new Error('console never connected');
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitDrained(core);
    const seconds = (performance.now() - connectedAt) / 1000;
    return {
      events,
      pushChunkEvents,
      seconds,
      perS: events / seconds,
      waitedForBackoffS: (connectedAt - ready) / 1000,
    };
  } finally {
    await core.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

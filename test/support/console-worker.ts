/**
 * TEST HELPER: the console core in a process of its own, so a test can SIGKILL it mid-write.
 * Usage: node --import tsx test/support/console-worker.ts '<json WorkerConfig>'
 * Opens (or creates) a match, scores until the match's last seq reaches `targetSeq`, prints
 * one JSON line per committed event ({"committed": seq}) only after run() returned (so the
 * event is in SQLite), then waits for the outbox to drain, prints {"drained": true} and exits 0.
 */
import pino from 'pino';
import { createConsoleCore } from '../../desktop/core/console-core.js';

export interface WorkerConfig {
  dataDir: string;
  serverUrl: string;
  username: string;
  password: string;
  court: string;
  targetSeq: number;
  /** Pause between commands, so a kill lands at varied points. */
  gapMs: number;
}

/** Drain wait bound: a worker that cannot deliver must fail the test, not hang it. */
const DRAIN_TIMEOUT_MS = 60_000;

function say(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  const core = await createConsoleCore({
    dataDir: config.dataDir,
    serverUrl: config.serverUrl,
    credentials: { username: config.username, password: config.password },
    court: config.court,
    logger: pino({ level: 'silent' }),
  });
  let view = await core.view();
  if (!view.info.matchId) {
    const created = await core.run('createMatch', {
      sport: 'generic',
      court: config.court,
      home: { name: 'Home' },
      away: { name: 'Away' },
    });
    if (!created.ok) throw new Error(`createMatch: ${created.message}`);
    const started = await core.run('start', {});
    if (!started.ok) throw new Error(`start: ${started.message}`);
    say({ committed: started.seq, match: created.matchId });
  }
  view = await core.view();
  say({ resumed: view.snapshot?.seq ?? 0, match: view.info.matchId });
  let seq = view.snapshot?.seq ?? 0;
  while (seq < config.targetSeq) {
    const r = await core.run('score', { side: seq % 3 ? 'home' : 'away' });
    if (!r.ok) throw new Error(`score: ${r.code} ${r.message}`);
    seq = r.seq!;
    say({ committed: seq });
    if (config.gapMs) await new Promise((resolve) => setTimeout(resolve, config.gapMs));
  }
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    view = await core.view();
    if (view.sync.pendingTotal === 0 && view.sync.state === 'live') break;
    if (Date.now() > deadline) throw new Error(`outbox not drained: ${JSON.stringify(view.sync)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  say({ drained: true, seq });
  await core.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`console-worker: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

/**
 * Randomized fault schedules for the long run: from a seed, a sequence of faults of
 * every kind in the "Faults it survives" table, each applied for a random while and
 * then healed. Same seed, same schedule (timing on a busy box may still differ).
 */
import { CRASH_POINTS } from '../../support/crash-hooks.js';
import type { ControlledPostgres } from '../harness/postgres-control.js';
import { type FaultRig } from '../harness/rig.js';
import { sleep, until } from '../../support/wait.js';

export const FAULT_KINDS = [
  'blackhole-consoles',
  'blackhole-viewers',
  'refuse',
  'reset-all',
  'delay',
  'cut-up',
  'cut-down',
  'drop-acks',
  'duplicate-pushes',
  'kill-server',
  'crash-point',
  'pg-restart-fast',
  'pg-restart-immediate',
  'pg-outage',
  'second-writer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduleContext {
  rig: FaultRig;
  pg: ControlledPostgres;
  random: () => number;
  /** Longest single network cut or outage, ms (minutes in the long run). */
  maxOutageMs: number;
  log: (line: string) => void;
}

const between = (random: () => number, min: number, max: number) => Math.round(min + random() * (max - min));
/** A crash point armed on a restarted server must fire within this, or the fault is reported as not hit. */
const CRASH_WAIT_MS = 20_000;

export async function applyFault(kind: FaultKind, ctx: ScheduleContext): Promise<void> {
  const { rig, pg, random, log } = ctx;
  switch (kind) {
    case 'blackhole-consoles':
    case 'blackhole-viewers': {
      const proxy = kind === 'blackhole-consoles' ? rig.consoleProxy : rig.viewerProxy;
      const ms = between(random, 1_000, ctx.maxOutageMs);
      log(`${kind} for ${ms} ms`);
      proxy.setMode('blackhole');
      await sleep(ms);
      proxy.setMode('pass');
      return;
    }
    case 'refuse': {
      const ms = between(random, 500, 5_000);
      log(`refuse connections for ${ms} ms`);
      rig.consoleProxy.setMode('refuse');
      rig.viewerProxy.setMode('refuse');
      await sleep(ms);
      rig.consoleProxy.setMode('pass');
      rig.viewerProxy.setMode('pass');
      return;
    }
    case 'reset-all':
      log('reset every connection');
      rig.consoleProxy.resetAll();
      rig.viewerProxy.resetAll();
      return;
    case 'delay': {
      const delay = between(random, 50, 1_500);
      const ms = between(random, 1_000, 8_000);
      log(`delay ${delay} ms for ${ms} ms`);
      rig.consoleProxy.setDelay(delay);
      rig.viewerProxy.setDelay(delay);
      await sleep(ms);
      rig.consoleProxy.setDelay(0);
      rig.viewerProxy.setDelay(0);
      return;
    }
    case 'cut-up':
    case 'cut-down': {
      const ms = between(random, 500, 6_000);
      log(`${kind} for ${ms} ms`);
      rig.consoleProxy.cut(kind === 'cut-up' ? 'up' : 'down');
      await sleep(ms);
      rig.consoleProxy.cut(null);
      return;
    }
    case 'drop-acks': {
      const n = between(random, 1, 8);
      log(`drop the next ${n} console ack frames`);
      rig.consoleProxy.addFrameRule({
        direction: 'down',
        match: (t) => t.startsWith('43/console,'),
        action: 'drop',
        remaining: n,
      });
      await sleep(3_000);
      return;
    }
    case 'duplicate-pushes': {
      const n = between(random, 1, 20);
      log(`deliver the next ${n} pushes twice`);
      rig.consoleProxy.addFrameRule({
        direction: 'up',
        match: (t) => t.startsWith('42/console,') && t.includes('"events:push"'),
        action: 'duplicate',
        remaining: n,
      });
      await sleep(2_000);
      return;
    }
    case 'kill-server': {
      const server = rig.servers[Math.floor(random() * rig.servers.length)]!;
      const down = between(random, 200, 5_000);
      log(`kill -9 server ${server.port}, down ${down} ms`);
      await server.kill9();
      await sleep(down);
      await server.restart();
      return;
    }
    case 'crash-point': {
      // Consoles prefer the first server (proxy order): arm it, then send them there.
      const server = rig.servers[0]!;
      const point = CRASH_POINTS[Math.floor(random() * CRASH_POINTS.length)]!;
      const after = between(random, 1, 10);
      log(`restart server ${server.port} with crash point ${point} after ${after} flushes`);
      await server.kill9();
      server.crash = { point, after };
      try {
        await server.restart();
        rig.consoleProxy.resetAll();
        const exits = server.exits;
        await until(() => server.exits > exits, 'crash point not reached', CRASH_WAIT_MS).catch(() =>
          log(`crash point ${point} not reached in ${CRASH_WAIT_MS} ms`),
        );
        await server.kill9();
      } finally {
        server.crash = null;
      }
      await server.restart();
      return;
    }
    case 'pg-restart-fast':
    case 'pg-restart-immediate': {
      const mode = kind === 'pg-restart-fast' ? 'fast' : 'immediate';
      log(`PostgreSQL restart (${mode})`);
      await pg.restart(mode);
      return;
    }
    case 'pg-outage': {
      const ms = between(random, 2_000, Math.min(ctx.maxOutageMs, 30_000));
      log(`PostgreSQL down for ${ms} ms`);
      await pg.stop(random() < 0.5 ? 'fast' : 'immediate');
      await sleep(ms);
      await pg.start();
      return;
    }
    case 'second-writer': {
      const matchId = rig.matchIds[Math.floor(random() * rig.matchIds.length)]!;
      log(`second console writes to ${matchId}`);
      const intruder = await rig.newConsole(matchId);
      rig.refusedConsoles.push(intruder);
      for (let i = 0; i < 3; i++) intruder.record({ type: 'SCORE_UPDATE', payload: { side: 'home' } } as never);
      await sleep(2_000);
      return;
    }
  }
}

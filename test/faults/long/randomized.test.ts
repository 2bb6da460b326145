/**
 * The long fault run: many matches scored on two server processes while a seeded
 * random schedule injects every kind of fault (network cuts for minutes, resets,
 * delays, one-way cuts, lost acks, duplicate pushes, kill -9 and crash points, PostgreSQL
 * restarts and outages, second writers). Then everything heals and the checker demands
 * zero lost, zero twice and identical snapshots everywhere. Prints its seed; rerun one
 * with `npm run test:faults -- --long --seed=N`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startControlledPostgres, type ControlledPostgres } from '../harness/postgres-control.js';
import { FaultRig } from '../harness/rig.js';
import { sleep } from '../../support/wait.js';
import { seededRandom, testSeed } from '../../support/random.js';
import { scoringEvent } from '../harness/scoring.js';
import { applyFault, FAULT_KINDS, type FaultKind } from './schedule.js';

const ENABLED = process.env.SCOREDESK_LONG_FAULTS === '1';
const SEED = Number(process.env.SCOREDESK_FAULT_SEED ?? testSeed);
const DURATION_MS = Number(process.env.SCOREDESK_FAULT_DURATION_S ?? 600) * 1000;
const COURTS = Number(process.env.SCOREDESK_FAULT_COURTS ?? 12);
/** Network cuts up to two minutes: the "for minutes" of the table. */
const MAX_OUTAGE_MS = Number(process.env.SCOREDESK_FAULT_MAX_OUTAGE_S ?? 120) * 1000;
/** Memory of a server process must stay bounded over the whole run. */
const RSS_LIMIT_BYTES = 1024 * 1024 * 1024;

let pg: ControlledPostgres | undefined;
let rig: FaultRig | undefined;

afterAll(async () => {
  await rig?.close();
  await pg?.destroy();
});

describe.skipIf(!ENABLED)('randomized fault schedule (long)', () => {
  it(
    `survives a seeded random schedule (seed ${SEED})`,
    async () => {
      const log = (line: string) =>
        console.log(`[faults seed=${SEED} t=${Math.round((Date.now() - started) / 1000)}s] ${line}`);
      const started = Date.now();
      log(`start: ${COURTS} courts, ${DURATION_MS / 1000} s, outages up to ${MAX_OUTAGE_MS / 1000} s`);
      const random = seededRandom(SEED).next;
      pg = await startControlledPostgres();
      const url = await pg.createDatabase('scoredesk_long');
      rig = await FaultRig.start({
        databaseUrl: url,
        servers: 2,
        serverEnv: { SCOREDESK_ADAPTER: 'postgres' },
        courts: COURTS,
        viewers: 3,
        seed: SEED,
        maxInFlight: 1 + Math.floor(random() * 4),
        ackTimeoutMs: 2_000,
      });
      const r = rig;
      let rssMax = 0;
      const sampler = setInterval(() => {
        rssMax = Math.max(rssMax, ...r.servers.map((s) => s.rssBytes()));
      }, 1_000);

      // Scoring never stops: each court records at its own random pace.
      let scoring = true;
      const scoreRandom = seededRandom(SEED ^ 0x5eed).next;
      const scorer = (async () => {
        while (scoring) {
          for (const c of r.consoles) if (scoreRandom() < 0.5) c.record(scoringEvent(c.log.length + 1, scoreRandom));
          await sleep(50 + Math.floor(scoreRandom() * 150));
        }
      })();

      const counts = new Map<FaultKind, number>();
      try {
        while (Date.now() - started < DURATION_MS) {
          // Every kind once (shuffled) before repeats, so a short run still covers the table.
          const unused = FAULT_KINDS.filter((k) => !counts.has(k));
          const pool = unused.length ? unused : FAULT_KINDS;
          const kind = pool[Math.floor(random() * pool.length)]!;
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          await applyFault(kind, { rig: r, pg, random, maxOutageMs: MAX_OUTAGE_MS, log });
          await sleep(500 + Math.floor(random() * 3_000));
        }
      } finally {
        scoring = false;
        await scorer;
        clearInterval(sampler);
      }
      log(`faults applied: ${JSON.stringify(Object.fromEntries(counts))}`);
      for (const s of r.servers) if (!s.running) await s.restart();
      const report = await r.verify();
      log(`stored: ${JSON.stringify(report.stored)}; server RSS max ${Math.round(rssMax / 1024 / 1024)} MB`);
      for (const intruder of r.refusedConsoles) expect(intruder.ackedSeq).toBe(0);
      expect(report.problems).toEqual([]);
      expect(rssMax).toBeLessThan(RSS_LIMIT_BYTES);
    },
    DURATION_MS + 10 * 60_000,
  );
});

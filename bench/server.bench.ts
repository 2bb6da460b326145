/**
 * The central server under load, side by side with the guide's design in the same run
 * (server/reference/guide-server.ts: broadcast first, one awaited INSERT per event, no
 * batching). K consoles each push R single-event pushes per second to their own match;
 * V viewers per match watch it. Both servers run as child processes on loopback with
 * their own database in one embedded PostgreSQL.
 *
 * Figures: accepted events/s; end-to-end latency (console send -> viewer receipt);
 * persistence lag (send -> ack; ours acks only after commit); rows stored vs sent;
 * viewer receipts (each event once per viewer expected); server CPU and peak RSS.
 * BENCH_SERVER_MS sets the load duration per run (default 6000).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { openEmbeddedPostgres } from '../server/db/embedded-postgres.js';
import { PROTOCOL_VERSION } from '../shared/protocol.js';
import { freeLoopbackPort } from '../test/support/ports.js';
import { CHILD_ADMIN_PASSWORD, spawnServer, type ServerProcess } from '../test/support/server-process.js';
import type { BenchResult } from './types.js';

const DURATION_MS = Number(process.env.BENCH_SERVER_MS ?? 6_000);
/** After the load stops: time for the last acks and broadcasts to arrive. */
const DRAIN_MS = 2_000;
const RSS_SAMPLE_MS = 250;
const CLOCK_TICKS_PER_S = 100;

interface Scenario {
  name: string;
  consoles: number;
  ratePerConsole: number;
  viewersPerMatch: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'steady', consoles: 8, ratePerConsole: 20, viewersPerMatch: 5 },
  { name: 'busy', consoles: 16, ratePerConsole: 60, viewersPerMatch: 3 },
  // Past what one awaited INSERT per event keeps up with on two cores.
  { name: 'surge', consoles: 24, ratePerConsole: 100, viewersPerMatch: 1 },
];

type Mode = 'scoredesk' | 'reference';

interface RunResult {
  mode: Mode;
  scenario: Scenario;
  sent: number;
  acked: number;
  acceptedPerS: number;
  e2e: number[];
  ackLag: number[];
  receipts: number;
  expectedReceipts: number;
  duplicateReceipts: number;
  rowsStored: number;
  cpuPercent: number;
  peakRssMb: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

function socket(url: string, nsp: string, auth: Record<string, unknown>): Promise<Socket> {
  const s = connect(url + nsp, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function json(url: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function runOnce(mode: Mode, scenario: Scenario, databaseUrl: string): Promise<RunResult> {
  const server: ServerProcess = await spawnServer({
    databaseUrl,
    ...(mode === 'reference' ? { entry: 'server/reference/guide-server.ts' } : {}),
    env: { SCOREDESK_LOG_LEVEL: 'info' },
  });
  const clients: Socket[] = [];
  try {
    const matchIds: string[] = [];
    // One scorer per console and one viewer account per match, as at a venue (per-user connection caps stay on).
    const scorerTokens: string[] = [];
    const viewerTokens: string[] = [];
    if (mode === 'scoredesk') {
      const admin = (await json(server.url + '/api/auth/login', { username: 'admin', password: CHILD_ADMIN_PASSWORD }))
        .token;
      for (let i = 0; i < scenario.consoles; i++) {
        const m = await json(
          server.url + '/api/matches',
          { sport: 'generic', court: `Court ${i + 1}`, home: { name: 'H' }, away: { name: 'A' } },
          admin,
        );
        matchIds.push(m.id);
        for (const [role, list] of [
          ['scorer', scorerTokens],
          ['viewer', viewerTokens],
        ] as const) {
          const username = `bench-${role}-${i}`;
          await json(server.url + '/api/users', { username, password: 'bench-password', role }, admin);
          list.push((await json(server.url + '/api/auth/login', { username, password: 'bench-password' })).token);
        }
      }
    } else {
      for (let i = 0; i < scenario.consoles; i++) {
        matchIds.push(`ref_${randomBytes(4).toString('hex')}`);
        scorerTokens.push('');
        viewerTokens.push('');
      }
    }
    const sendTimes = new Map<string, number>();
    const e2e: number[] = [];
    const seen = new Set<string>();
    let receipts = 0;
    let duplicateReceipts = 0;
    for (const [m, matchId] of matchIds.entries()) {
      for (let v = 0; v < scenario.viewersPerMatch; v++) {
        const viewer = await socket(server.url, '/live', { token: viewerTokens[m], protocol: PROTOCOL_VERSION });
        clients.push(viewer);
        const viewerId = clients.length;
        viewer.on('MATCH_UPDATE', (u: { matchId: string; events: { seq: number }[] }) => {
          const now = performance.now();
          for (const e of u.events) {
            const key = `${u.matchId}:${e.seq}`;
            const sentAt = sendTimes.get(key);
            if (sentAt !== undefined) e2e.push(now - sentAt);
            receipts++;
            const vk = `${viewerId}:${key}`;
            if (seen.has(vk)) duplicateReceipts++;
            seen.add(vk);
          }
        });
        await viewer.timeout(10_000).emitWithAck('SUBSCRIBE_MATCH', { matchId });
      }
    }
    const consoles: Socket[] = [];
    for (let i = 0; i < scenario.consoles; i++) {
      const c = await socket(server.url, '/console', {
        token: scorerTokens[i],
        protocol: PROTOCOL_VERSION,
        consoleId: randomUUID(),
      });
      clients.push(c);
      consoles.push(c);
    }

    const ackLag: number[] = [];
    let sent = 0;
    let acked = 0;
    let peakRss = rssMb(server.pid);
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(server.pid))), RSS_SAMPLE_MS);
    const cpuStart = cpuTicks(server.pid);
    const started = performance.now();
    let at = Date.now();
    const timers = consoles.map((c, i) => {
      const matchId = matchIds[i]!;
      let seq = 0;
      return setInterval(() => {
        seq++;
        const event =
          seq === 1
            ? { seq, type: 'MATCH_START', payload: {}, at: new Date(at++).toISOString() }
            : {
                seq,
                type: 'SCORE_UPDATE',
                payload: { side: seq % 2 ? 'home' : 'away' },
                at: new Date(at++).toISOString(),
              };
        const sentAt = performance.now();
        sendTimes.set(`${matchId}:${seq}`, sentAt);
        sent++;
        c.timeout(30_000)
          .emitWithAck('events:push', { matchId, epoch: 0, events: [event] })
          .then((ack: { ok: boolean }) => {
            if (!ack.ok) return;
            acked++;
            ackLag.push(performance.now() - sentAt);
          })
          .catch(() => {});
      }, 1000 / scenario.ratePerConsole);
    });
    await new Promise((r) => setTimeout(r, DURATION_MS));
    for (const t of timers) clearInterval(t);
    const loadMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    const cpuS = (cpuTicks(server.pid) - cpuStart) / CLOCK_TICKS_PER_S;
    clearInterval(rssTimer);

    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const table = mode === 'scoredesk' ? 'match_events' : 'reference_events';
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE match_id = ANY($1)`, [matchIds]);
    await pool.end();
    return {
      mode,
      scenario,
      sent,
      acked,
      acceptedPerS: acked / (loadMs / 1000),
      e2e: e2e.sort((a, b) => a - b),
      ackLag: ackLag.sort((a, b) => a - b),
      receipts,
      expectedReceipts: sent * scenario.viewersPerMatch,
      duplicateReceipts,
      rowsStored: rows[0].n,
      cpuPercent: (cpuS / ((loadMs + DRAIN_MS) / 1000)) * 100,
      peakRssMb: peakRss,
    };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

export default async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scoredesk-bench-pg-'));
  const db = await openEmbeddedPostgres({ dir, port: await freeLoopbackPort(), database: 'postgres' });
  const results: RunResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      for (const mode of ['scoredesk', 'reference'] as Mode[]) {
        const name = `bench_${mode}_${scenario.name}`;
        const admin = new pg.Client({ connectionString: db.url });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(db.url);
        url.pathname = `/${name}`;
        results.push(await runOnce(mode, scenario, url.toString()));
      }
    }
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const header =
    '| scenario | server | events sent | accepted ev/s | e2e p50 / p95 / p99 ms | persist lag (send→ack) p50 / p95 ms | rows stored / sent | viewer receipts / expected (dups) | server CPU % | peak RSS MB |\n' +
    '|---|---|---|---|---|---|---|---|---|---|';
  const lines = results.map((r) => {
    const s = r.scenario;
    return `| ${s.name}: ${s.consoles} consoles × ${s.ratePerConsole}/s, ${s.viewersPerMatch} viewers/match | ${r.mode} | ${r.sent} | ${f1(r.acceptedPerS)} | ${f1(percentile(r.e2e, 50))} / ${f1(percentile(r.e2e, 95))} / ${f1(percentile(r.e2e, 99))} | ${f1(percentile(r.ackLag, 50))} / ${f1(percentile(r.ackLag, 95))} | ${r.rowsStored} / ${r.sent} | ${r.receipts} / ${r.expectedReceipts} (${r.duplicateReceipts}) | ${f1(r.cpuPercent)} | ${f1(r.peakRssMb)} |`;
  });
  const summary: Record<string, number | string> = {};
  for (const scenario of SCENARIOS) {
    const ours = results.find((r) => r.mode === 'scoredesk' && r.scenario === scenario)!;
    const ref = results.find((r) => r.mode === 'reference' && r.scenario === scenario)!;
    summary[`${scenario.name}_accepted_ratio`] = Number((ours.acceptedPerS / ref.acceptedPerS).toFixed(3));
    summary[`${scenario.name}_cpu_ratio`] = Number((ours.cpuPercent / ref.cpuPercent).toFixed(3));
    summary[`${scenario.name}_e2e_p95_ms`] = `${f1(percentile(ours.e2e, 95))} vs ${f1(percentile(ref.e2e, 95))}`;
    summary[`${scenario.name}_persist_p95_ms`] =
      `${f1(percentile(ours.ackLag, 95))} vs ${f1(percentile(ref.ackLag, 95))}`;
  }
  const table = [
    `Load: ${DURATION_MS / 1000} s per run, single-event pushes, loopback, both servers as child processes on one embedded PostgreSQL.`,
    '`scoredesk` commits each 100 ms window in one transaction, acks after commit, then broadcasts; `reference` is the guide',
    '(broadcast first, then one awaited INSERT per event). Read e2e latency with that in mind: the reference shows viewers',
    'events before they are stored (and would show them even if storing failed); ours pays up to one window for durability.',
    'Compare CPU per accepted event and the persistence lag under load. Ratios are in the summary line.',
    '',
    header,
    ...lines,
  ].join('\n');
  return { name: 'server', table, summary };
}

/**
 * The pipeline bench's section of docs/benchmarks.md: one row per target of issue 18 with
 * both servers' figures, the target and whether it holds (computed from the figures),
 * then every measured phase, the CPU profiles before and after, and the throughput chart
 * (docs/benchmarks-pipeline.svg). Also the summary JSON's key figures.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { latencyChartSvg, type ChartSeries } from '../load/chart.js';
import { round } from '../load/stats.js';
import type { PhaseResult } from '../load/traffic.js';
import { config } from './config.js';
import type { WallResult } from './court-wall.js';
import type { ProfileEntry } from './profile.js';
import {
  MODES,
  ran,
  REFERENCE_CANNOT,
  type CapacityStep,
  type Maybe,
  type NotRun,
  type ProfileRun,
  type Results,
} from './scenarios.js';

export const PIPELINE_CHART = 'benchmarks-pipeline.svg';

type Verdict = 'yes' | 'no' | 'n/a';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const fmt = (v: number | null | undefined, digits = 1) =>
  finite(v) ? round(v, digits).toLocaleString('en-US', { maximumFractionDigits: digits }) : 'n/a';
const verdict = (ok: boolean | null): Verdict => (ok === null ? 'n/a' : ok ? 'yes' : 'no');
const why = (x: Maybe<unknown> | undefined): string =>
  x === undefined ? 'not run (not selected)' : ran(x) ? '' : (x as NotRun).skipped.replace(/\|/g, '/');
/** A figure of a run, or why there is none. */
function cell<T>(x: Maybe<T> | undefined, figure: (v: T) => string): string {
  return ran(x) ? figure(x) : why(x);
}
function value<T>(x: Maybe<T> | undefined, figure: (v: T) => number | null | undefined): number | null {
  if (!ran(x)) return null;
  const v = figure(x);
  return finite(v) ? v : null;
}
const ms = (v: number | null | undefined) => (finite(v) ? `${fmt(v)} ms` : 'n/a');

interface Row {
  scenario: string;
  measure: string;
  ours: string;
  reference: string;
  target: string;
  holds: Verdict | 'information';
}

export interface PipelineReport {
  table: string;
  summary: Record<string, number | string>;
}

export function buildReport(results: Results, docsDir: string, totalSeconds: number): PipelineReport {
  const t = config.throughput;
  const re = config.realistic;
  const fo = config.fanout;
  const cap = config.capacity;
  const target = config.targetP99Ms;
  const rows: Row[] = [];
  const summary: Record<string, number | string> = {};
  const put = (key: string, v: number | null) => {
    if (v !== null) summary[key] = round(v, 2);
  };

  // Throughput.
  const tpOurs = value(results.throughput.ours, (r) => r.sustained);
  const tpRef = value(results.throughput.reference, (r) => r.sustained);
  const tpRatio = tpOurs !== null && tpRef ? tpOurs / tpRef : null;
  const tpAny = (x: Maybe<{ sustained: number | null }> | undefined) =>
    cell(x, (r) =>
      r.sustained === null ? `none (p99 > ${target} ms or loss at the lowest rate)` : fmt(r.sustained, 0),
    );
  rows.push({
    scenario: 'throughput',
    measure: `highest offered rate (events/s, ${t.courts} consoles, ${t.viewers} viewers) with viewer p99 ≤ ${target} ms and nothing lost`,
    ours: tpAny(results.throughput.ours) + (tpRatio !== null ? ` (${fmt(tpRatio, 2)}x)` : ''),
    reference: tpAny(results.throughput.reference),
    target: `≥ ${t.targetRatio}x the reference${tpRef ? ` (≥ ${fmt(tpRef * t.targetRatio, 0)})` : ''}`,
    holds:
      ran(results.throughput.ours) && ran(results.throughput.reference) && tpRef
        ? verdict((tpOurs ?? 0) >= t.targetRatio * tpRef)
        : 'n/a',
  });
  put('throughput_ours_events_per_s', tpOurs);
  put('throughput_reference_events_per_s', tpRef);
  put('throughput_ratio', tpRatio);

  // Realistic.
  const reOurs = results.realistic.ours;
  const reRef = results.realistic.reference;
  const reOursP99 = value(reOurs, (p) => p.latency.p99);
  const reOursAck = value(reOurs, (p) => p.ackLatency.p99);
  const reRefAck = value(reRef, (p) => p.ackLatency.p99);
  rows.push({
    scenario: 'realistic',
    measure: `viewer p99 (${re.courts} consoles at ${re.perCourt} ev/s, ${re.viewers} viewers)`,
    ours: cell(reOurs, (p) => `${ms(p.latency.p99)}${lostNote(p)}`),
    reference: cell(reRef, (p) => `${ms(p.latency.p99)}${lostNote(p)}`),
    target: `≤ ${re.viewerVsReferenceAck}x the reference's ack p99${reRefAck !== null ? ` (≤ ${fmt(reRefAck * re.viewerVsReferenceAck)} ms)` : ''}, nothing lost`,
    holds:
      reOursP99 !== null && reRefAck !== null && ran(reOurs)
        ? verdict(reOursP99 <= re.viewerVsReferenceAck * reRefAck && reOurs.lost === 0)
        : 'n/a',
  });
  rows.push({
    scenario: 'realistic',
    measure: 'ack p99 (push sent to ack received)',
    ours: cell(reOurs, (p) => ms(p.ackLatency.p99)),
    reference: cell(reRef, (p) => ms(p.ackLatency.p99)),
    target: `≤ the reference's${reRefAck !== null ? ` (≤ ${fmt(reRefAck)} ms)` : ''}`,
    holds: reOursAck !== null && reRefAck !== null ? verdict(reOursAck <= reRefAck) : 'n/a',
  });
  put('realistic_ours_viewer_p99_ms', reOursP99);
  put('realistic_ours_ack_p99_ms', reOursAck);
  put(
    'realistic_reference_viewer_p99_ms',
    value(reRef, (p) => p.latency.p99),
  );
  put('realistic_reference_ack_p99_ms', reRefAck);

  // Fan-out.
  const foOurs = results.fanout.ours;
  const foRef = results.fanout.reference;
  const foOursP99 = value(foOurs, (p) => p.latency.p99);
  const foRefP99 = value(foRef, (p) => p.latency.p99);
  const foOursRss = value(foOurs, (p) => p.serverRssMaxMb);
  const foRefRss = value(foRef, (p) => p.serverRssMaxMb);
  rows.push({
    scenario: 'fan-out',
    measure: `viewer p99 (${fo.courts} consoles at ${fo.perCourt} ev/s, ${fo.viewers} viewers: ${Math.round(fo.viewers / fo.courts)} per match)`,
    ours: cell(foOurs, (p) => `${ms(p.latency.p99)}${lostNote(p)}`),
    reference: cell(foRef, (p) => `${ms(p.latency.p99)}${lostNote(p)}`),
    target: `≤ ${target} ms and ≤ ${fo.viewerVsReference}x the reference${foRefP99 !== null ? ` (≤ ${fmt(Math.min(target, foRefP99 * fo.viewerVsReference))} ms)` : ''}, nothing lost`,
    holds:
      foOursP99 !== null && foRefP99 !== null && ran(foOurs)
        ? verdict(foOursP99 <= target && foOursP99 <= fo.viewerVsReference * foRefP99 && foOurs.lost === 0)
        : 'n/a',
  });
  rows.push({
    scenario: 'fan-out',
    measure: 'server RSS, highest sample of the phase',
    ours: cell(foOurs, (p) => `${fmt(p.serverRssMaxMb)} MB`),
    reference: cell(foRef, (p) => `${fmt(p.serverRssMaxMb)} MB`),
    target: `≤ ${fo.rssVsReference}x the reference${foRefRss !== null ? ` (≤ ${fmt(foRefRss * fo.rssVsReference)} MB)` : ''}`,
    holds: foOursRss !== null && foRefRss !== null ? verdict(foOursRss <= fo.rssVsReference * foRefRss) : 'n/a',
  });
  put('fanout_ours_viewer_p99_ms', foOursP99);
  put('fanout_reference_viewer_p99_ms', foRefP99);
  put('fanout_ours_rss_mb', foOursRss);
  put('fanout_reference_rss_mb', foRefRss);

  // Capacity.
  const capCell = (x: (typeof results.capacity)['ours']) =>
    cell(x, (c) => {
      const last = c.steps.at(-1);
      const capped = c.steps.find((s) => s.cappedBy !== null);
      const failed = last && !last.held ? ` (${describeFailedStep(last)})` : '';
      return `${fmt(c.held, 0)}${failed}${capped ? `; at most ${fmt(capped.viewers, 0)} tried: open-file limit ${fmt(capped.cappedBy, 0)}` : ''}`;
    });
  const capOurs = value(results.capacity.ours, (c) => c.held);
  rows.push({
    scenario: 'fan-out',
    measure: `viewers one process holds with p99 ≤ ${target} ms, nothing lost (${fo.courts} courts at ${re.perCourt} ev/s; tried ${cap.steps.map((n) => fmt(n, 0)).join(', ')})`,
    ours: capCell(results.capacity.ours),
    reference: capCell(results.capacity.reference),
    target: `≥ ${fmt(cap.aim, 0)} (aim)`,
    holds: capOurs !== null ? verdict(capOurs >= cap.aim) : 'n/a',
  });
  put('capacity_ours_viewers', capOurs);
  put(
    'capacity_reference_viewers',
    value(results.capacity.reference, (c) => c.held),
  );

  // Court wall.
  const wall = results.wall;
  const w = config.wall;
  rows.push({
    scenario: 'court wall',
    measure: `frames/s to one socket following ${t.courts} courts at ${w.perCourt} ev/s each, SUBSCRIBE_COURTS frames: true`,
    ours: cell(wall, (x) => `${fmt(x.frames.framesPerSecond)} (${eventsNote(x.frames)})`),
    reference: REFERENCE_CANNOT.wall,
    target: `≤ ${w.targetFramesPerSecond}, every event received, no violation`,
    holds: ran(wall)
      ? verdict(
          round(wall.frames.framesPerSecond) <= w.targetFramesPerSecond &&
            wall.frames.eventsReceived >= wall.frames.eventsExpected &&
            wall.frames.violations === 0,
        )
      : 'n/a',
  });
  rows.push({
    scenario: 'court wall',
    measure: 'frames/s to a v1 court follower (no frames), same phase',
    ours: cell(wall, (v) => `${fmt(v.v1.framesPerSecond)} (${eventsNote(v.v1)})`),
    reference: REFERENCE_CANNOT.wall,
    target: 'information',
    holds: 'information',
  });
  put(
    'wall_frames_per_s',
    value(wall, (v) => v.frames.framesPerSecond),
  );
  put(
    'wall_v1_frames_per_s',
    value(wall, (v) => v.v1.framesPerSecond),
  );

  // Logins.
  const logins = results.logins;
  const loginP99 = value(logins, (l) => l.phase.windowLatency?.p99);
  rows.push({
    scenario: 'logins',
    measure: `viewer p99 of the courts during ${config.logins.users} concurrent POST /api/auth/login (realistic traffic)`,
    ours: cell(
      logins,
      (l) => `${ms(l.phase.windowLatency?.p99)} (whole phase ${ms(l.phase.latency.p99)}${lostNote(l.phase)})`,
    ),
    reference: REFERENCE_CANNOT.logins,
    target: `≤ ${target} ms, nothing lost`,
    holds: loginP99 !== null && ran(logins) ? verdict(loginP99 <= target && logins.phase.lost === 0) : 'n/a',
  });
  rows.push({
    scenario: 'logins',
    measure: 'time until every login of the burst answered',
    ours: cell(logins, (l) => `${fmt(l.burst.seconds, 2)} s (${l.burst.ok}/${l.burst.ok + l.burst.failed} ok)`),
    reference: REFERENCE_CANNOT.logins,
    target: 'information',
    holds: 'information',
  });
  put('logins_viewer_p99_ms', loginP99);
  put(
    'logins_burst_s',
    value(logins, (l) => l.burst.seconds),
  );

  // Re-sync.
  const rs = results.resync;
  const rsSeconds = value(rs, (r) => r.seconds);
  rows.push({
    scenario: 're-sync',
    measure: `${fmt(config.resync.events, 0)} events queued in a console core's SQLite outbox: reconnect to all acknowledged`,
    ours: cell(rs, (r) => `${fmt(r.seconds, 2)} s (${fmt(r.perS, 0)} events/s)`),
    reference: REFERENCE_CANNOT.resync,
    target: `≤ ${config.resync.targetSeconds} s`,
    holds: rsSeconds !== null ? verdict(rsSeconds <= config.resync.targetSeconds) : 'n/a',
  });
  put('resync_s', rsSeconds);

  // Two processes.
  const two = results.two;
  rows.push({
    scenario: 'two processes',
    measure: `console to viewer p50 / p99 across processes (postgres adapter; consoles on one, ${re.viewers} viewers on the other; ${re.courts} courts at ${re.perCourt} ev/s)`,
    ours: cell(
      two,
      (p) =>
        `${ms(p.latency.p50)} / ${ms(p.latency.p99)}${lostNote(p)}; same process: ${cell(reOurs, (q) => `${ms(q.latency.p50)} / ${ms(q.latency.p99)}`)}`,
    ),
    reference: REFERENCE_CANNOT.two,
    target: 'information',
    holds: 'information',
  });
  put(
    'two_process_p50_ms',
    value(two, (p) => p.latency.p50),
  );
  put(
    'two_process_p99_ms',
    value(two, (p) => p.latency.p99),
  );

  const judged = rows.filter((r) => r.holds === 'yes' || r.holds === 'no');
  summary.targets_held = `${judged.filter((r) => r.holds === 'yes').length}/${judged.length}`;
  const missed = rows.filter((r) => r.holds === 'no').map((r) => `${r.scenario}: ${r.measure.split(' (')[0]}`);
  if (missed.length) summary.targets_missed = missed.join('; ');
  summary.seconds = round(totalSeconds, 0);

  writeFileSync(path.join(docsDir, PIPELINE_CHART), chart(results));
  return { table: markdown(results, rows, totalSeconds), summary };
}

function lostNote(p: PhaseResult): string {
  return p.lost ? `, ${fmt(p.lost, 0)} of ${fmt(p.expectedDeliveries, 0)} deliveries lost` : '';
}

function eventsNote(w: WallResult): string {
  return `${fmt(w.eventsReceived, 0)}/${fmt(w.eventsExpected, 0)} events${w.violations ? `, ${w.violations} violations` : ''}`;
}

function describeFailedStep(step: CapacityStep): string {
  if (!step.phase) return `${fmt(step.connected, 0)} of ${fmt(step.viewers, 0)} connected`;
  return `${fmt(step.viewers, 0)}: p99 ${ms(step.phase.latency.p99)}${lostNote(step.phase)}`;
}

function chart(results: Results): string {
  const series: ChartSeries[] = [];
  for (const key of ['ours', 'reference'] as const) {
    const r = results.throughput[key];
    if (!ran(r)) continue;
    series.push({
      label: MODES[key].label,
      points: r.ramp.map((p) => ({
        rate: p.offeredPerSecond,
        p50: p.latency.p50,
        p95: p.latency.p95,
        p99: p.latency.p99,
      })),
    });
  }
  return latencyChartSvg(
    series,
    config.targetP99Ms,
    `Viewer p99 against offered load (${config.throughput.courts} consoles, ${config.throughput.viewers} viewers)`,
    ['p99'],
  );
}

function markdown(results: Results, rows: Row[], totalSeconds: number): string {
  const t = config.throughput;
  const lines: string[] = [];
  lines.push(
    `The live pipeline at the limit (issue 18), Scoredesk (one process unless said) and the guide-design reference ` +
      `(server/reference/guide-server.ts) side by side in one run on one PostgreSQL (fsync on), loopback only. ` +
      `Consoles are raw Socket.io consoles shaped like the console core's outbox: ${config.inFlight} push in flight, ` +
      `and what was scored meanwhile leaves in the next push (up to 500 events), the same for both servers. ` +
      `Viewers are /live sockets in ${config.viewerProcesses} load-generator processes (viewer i follows court i mod courts). ` +
      `Viewer latency: from the event's \`at\` (when the console recorded it) to its receipt by a viewer; ack: push sent to ack received. ` +
      `The reference broadcasts each event before storing it and acks even when the INSERT failed, so its viewer latency is not ` +
      `durable latency. Everything (server processes, PostgreSQL, generators) shares the machine's cores: compare ratios. ` +
      `Whole run: ${fmt(totalSeconds / 60)} min.`,
    '',
    '| scenario | measure | scoredesk | reference | target | holds |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const r of rows)
    lines.push(`| ${r.scenario} | ${r.measure} | ${r.ours} | ${r.reference} | ${r.target} | ${r.holds} |`);

  lines.push(
    '',
    `Throughput search: per-court rate doubled from ${t.start} ev/s (up to ${t.max}) until a step missed (p99 > ${config.targetP99Ms} ms or a loss), ` +
      `then up to ${t.bisections} bisection step(s); ${t.stepMs / 1000} s per step. Court wall frames/s: (frames − 1) / time from the first ` +
      `to the last frame while the consoles scored, to 0.1. Every measured phase:`,
    '',
    '| scenario | server | phase | viewers | offered ev/s | accepted ev/s | viewer p50 / p95 / p99 ms | ack p50 / p99 ms | lost / expected deliveries | wire violations | refused pushes | server CPU % | server RSS max MB | generator CPU % |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const row of results.phases) {
    const p = row.phase;
    const refused =
      p.refusedPushes === 0
        ? '0'
        : `${p.refusedPushes} (${Object.entries(p.refusals)
            .map(([code, n]) => `${code} ${n}`)
            .join(', ')})`;
    lines.push(
      `| ${row.scenario} | ${row.server} | ${p.label}${p.windowLatency ? ` (during the burst: p99 ${fmt(p.windowLatency.p99)} ms)` : ''} | ${fmt(row.viewers, 0)} | ${fmt(p.offeredPerSecond)} | ${fmt(p.acceptedPerSecond)} | ` +
        `${fmt(p.latency.p50)} / ${fmt(p.latency.p95)} / ${fmt(p.latency.p99)} | ${fmt(p.ackLatency.p50)} / ${fmt(p.ackLatency.p99)} | ` +
        `${fmt(p.lost, 0)} / ${fmt(p.expectedDeliveries, 0)} | ${p.violations < 0 ? 'n/a: no cursors' : p.violations} | ${refused} | ` +
        `${fmt(p.serverCpuPercent)} | ${fmt(p.serverRssMaxMb)} | ${fmt(p.benchCpuPercent)} |`,
    );
  }

  lines.push('', ...profileTable(results.profile.before, results.profile.after));
  lines.push('', `![viewer p99 against offered load, both servers](${PIPELINE_CHART})`);
  return lines.join('\n');
}

function profileTable(before: Maybe<ProfileRun>, after: Maybe<ProfileRun>): string[] {
  const p = config.profile;
  const describe = (name: string, r: Maybe<ProfileRun>) =>
    ran(r)
      ? `${name}: ${r.label}, ${fmt(r.summary.samples, 0)} samples ${r.summary.windowed ? 'in the measured phase' : 'over the whole process (the phase window could not be placed)'}, ` +
        `idle ${fmt(r.summary.idlePercent)}%; the phase: viewer p99 ${ms(r.phase.latency.p99)}, server CPU ${fmt(r.phase.serverCpuPercent)}%`
      : `${name}: ${why(r)}`;
  const lines = [
    `CPU profile of the server process (node --cpu-prof) under the throughput load at a fixed ${p.perCourt} ev/s per court ` +
      `(${fmt(p.perCourt * config.throughput.courts, 0)} ev/s offered, ${config.throughput.viewers} viewers, ${p.ms / 1000} s): the ${p.top} entries with the most self time, ` +
      `in percent of the phase's samples (busy = not idle). Lines are those of the module as tsx compiled it, close to the .ts line. ` +
      `${describe('Before', before)}. ${describe('After', after)}.`,
    '',
    '| # | before: function | file:line | % samples (% busy) | after: function | file:line | % samples (% busy) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const entries = (r: Maybe<ProfileRun>): ProfileEntry[] => (ran(r) ? r.summary.top : []);
  const b = entries(before);
  const a = entries(after);
  const side = (e: ProfileEntry | undefined) =>
    e ? `${escapeCell(e.fn)} | ${escapeCell(e.where)} | ${fmt(e.percent)} (${fmt(e.busyPercent)})` : ' | | ';
  for (let i = 0; i < Math.max(b.length, a.length, 1); i++) lines.push(`| ${i + 1} | ${side(b[i])} | ${side(a[i])} |`);
  return lines;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

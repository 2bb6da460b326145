/** The load bench's markdown section and chart for docs/benchmarks.md. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { latencyChartSvg, type ChartSeries } from './chart.js';
import type { IdleResult } from './idle.js';
import { round } from './stats.js';
import type { PhaseResult } from './traffic.js';

export const CHART_FILE = 'benchmarks-latency.svg';

export interface ModeReport {
  label: string;
  phases: PhaseResult[];
  ramp: PhaseResult[];
  /** Highest offered rate (events/s, all courts) whose p99 stayed under the target with no loss. */
  sustained: number | null;
  idle: IdleResult | null;
  /** Why the mode could not run, if it could not. */
  skipped?: string;
}

export interface LoadSetup {
  courts: number;
  viewers: number;
  idleSockets: number;
  targetP99Ms: number;
  rampSeconds: number;
}

const refused = (p: PhaseResult) =>
  p.refusedPushes === 0
    ? '0'
    : `${p.refusedPushes} (${Object.entries(p.refusals)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ')})`;
const ms = (v: number) => (Number.isFinite(v) ? String(round(v, 1)) : 'n/a');

export function writeChart(docsDir: string, modes: ModeReport[], targetMs: number): void {
  const series: ChartSeries[] = modes
    .filter((m) => !m.skipped)
    .map((m) => ({
      label: m.label,
      points: [...m.ramp].map((p) => ({
        rate: p.offeredPerSecond,
        p50: p.latency.p50,
        p95: p.latency.p95,
        p99: p.latency.p99,
      })),
    }));
  writeFileSync(
    path.join(docsDir, CHART_FILE),
    latencyChartSvg(series, targetMs, 'Console to viewer latency under load (ramp)'),
  );
}

export function loadTable(setup: LoadSetup, modes: ModeReport[]): string {
  const lines: string[] = [];
  lines.push(
    `${setup.courts} courts (one raw Socket.io console each, speaking the /console contract), ${setup.viewers} /live viewers ` +
      `(viewer i follows court i mod ${setup.courts}; with two processes consoles and viewers sit on different ones, so every broadcast ` +
      `crosses the postgres adapter). Latency: from the console recording the event to a viewer receiving it (one clock). ` +
      `Loss: deliveries a viewer should have had and did not. CPU in percent of one core; the machine has 2 cores shared by ` +
      `PostgreSQL (fsync on), the server process(es) and this load generator.`,
    '',
    '| mode | phase | offered ev/s | accepted ev/s | p50 ms | p95 ms | p99 ms | lost / expected deliveries | wire violations | refused pushes | server CPU % | server RSS max MB | generator CPU % |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const m of modes) {
    if (m.skipped) {
      lines.push(`| ${m.label} | not run: ${m.skipped} | | | | | | | | | | | |`);
      continue;
    }
    for (const p of [...m.phases, ...m.ramp])
      lines.push(
        `| ${m.label} | ${p.label} | ${round(p.offeredPerSecond)} | ${round(p.acceptedPerSecond)} | ${ms(p.latency.p50)} | ${ms(p.latency.p95)} | ${ms(p.latency.p99)} | ${p.lost} / ${p.expectedDeliveries} | ${p.violations < 0 ? 'n/a: no cursors' : p.violations} | ${refused(p)} | ${round(p.serverCpuPercent)} | ${round(p.serverRssMaxMb)} | ${round(p.benchCpuPercent)} |`,
      );
  }
  lines.push(
    '',
    `Highest sustained rate (ramp search: offered load about doubled until p99 reached ${setup.targetP99Ms} ms or a delivery was lost, then one bisection step; each step ${setup.rampSeconds} s):`,
    '',
    '| mode | highest rate with p99 < ' + setup.targetP99Ms + ' ms and no loss (events/s, all courts) |',
    '| --- | --- |',
  );
  for (const m of modes.filter((x) => !x.skipped))
    lines.push(
      `| ${m.label} | ${m.sustained === null ? `none (p99 ≥ ${setup.targetP99Ms} ms already at the lowest rate)` : round(m.sustained)} |`,
    );
  lines.push(
    '',
    `Idle connections: ${setup.idleSockets} authenticated /live sockets opened against one process, nothing subscribed:`,
    '',
    '| mode | sockets opened | held | RSS before MB | RSS after MB | MB per 1000 sockets | under 2 GB | connect time s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const m of modes.filter((x) => !x.skipped && x.idle)) {
    const i = m.idle!;
    lines.push(
      `| ${m.label} | ${i.sockets} | ${i.held} | ${round(i.rssBeforeMb)} | ${round(i.rssAfterMb)} | ${round(i.mbPer1000)} | ${i.underLimit ? 'yes' : 'NO'} | ${round(i.connectSeconds)} |`,
    );
  }
  const reference = modes.find((m) => m.label.startsWith('reference') && !m.skipped);
  if (reference) {
    lines.push(
      '',
      `Ratios against ${reference.label} in the same run (>1: more than the reference). The reference broadcasts each event ` +
        'before storing it and acks even when the INSERT failed, so its latency is not durable latency: viewers may see ' +
        'events that were never stored. Scoredesk waits for a 100 ms window and the commit before any viewer sees an event.',
      '',
      '| mode | realistic p99 | stress accepted ev/s | highest sustained rate | idle MB per 1000 sockets |',
      '| --- | --- | --- | --- | --- |',
    );
    const ratio = (a: number | null | undefined, b: number | null | undefined) =>
      a != null && b != null && Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${round(a / b, 2)}x` : 'n/a';
    for (const m of modes.filter((x) => !x.skipped && x !== reference))
      lines.push(
        `| ${m.label} | ${ratio(m.phases[0]?.latency.p99, reference.phases[0]?.latency.p99)} | ${ratio(m.phases[1]?.acceptedPerSecond, reference.phases[1]?.acceptedPerSecond)} | ${ratio(m.sustained, reference.sustained)} | ${ratio(m.idle?.mbPer1000, reference.idle?.mbPer1000)} |`,
      );
  }
  lines.push('', `![console to viewer latency p50/p95/p99 against offered load](${CHART_FILE})`);
  return lines.join('\n');
}

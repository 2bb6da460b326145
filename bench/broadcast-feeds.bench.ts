/**
 * Cost of the vMix pull feeds, which graphics tools poll as often as every second:
 * building the board (current match per court) and rendering JSON rows, XML and CSV,
 * each as a ratio to JSON.stringify of the same snapshots (what GET /api/matches
 * costs). 64 courts of 12 matches each (768 snapshots), names with markup and quotes.
 */
import { performance } from 'node:perf_hooks';
import { toCsv } from '../server/broadcast/feed-csv.js';
import { flattenMatch } from '../server/broadcast/feed-rows.js';
import { toXml } from '../server/broadcast/feed-xml.js';
import { currentMatchPerCourt } from '../server/broadcast/pages/assets/lib/court-view.js';
import { snapshot } from '../test/support/broadcast/snapshots.js';
import type { MatchSnapshot } from '../shared/match.js';
import type { BenchResult } from './types.js';

const COURTS = 64;
const MATCHES_PER_COURT = 12;
/** Repetitions per measurement; the median damps GC pauses. */
const REPEATS = 15;
const WARMUP = 5;
const ONLINE = { lastEventAt: null, lastStoredAt: null, consoleOnline: true };

function snapshots(): MatchSnapshot[] {
  const all: MatchSnapshot[] = [];
  for (let c = 1; c <= COURTS; c++) {
    for (let m = 0; m < MATCHES_PER_COURT; m++) {
      const status = m < 5 ? 'finished' : m === 5 ? 'live' : 'scheduled';
      all.push(
        snapshot({
          id: `c${c}-m${m}`,
          court: String(c),
          status,
          cursor: c * 100 + m,
          home: { name: `Home <b>${c}</b> & "Co"`, score: m },
          away: { name: `Away, ${c}`, score: 25 - m },
          scheduledAt: new Date(Date.UTC(2026, 10, 28, 8 + m)).toISOString(),
          sets: [{ home: 25, away: 20 }],
          setsWon: { home: 1, away: 0 },
        }),
      );
    }
  }
  return all;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export default async function run(): Promise<BenchResult> {
  const all = snapshots();
  const rows = () => currentMatchPerCourt(all).map(({ match }) => flattenMatch(match, ONLINE, Date.now()));
  const reference = time(() => JSON.stringify(all));
  const cases: [string, () => unknown][] = [
    ['board + JSON rows', () => JSON.stringify(rows())],
    ['board + XML', () => toXml(rows())],
    ['board + CSV', () => toCsv(rows())],
  ];
  const results = cases.map(([label, fn]) => ({ label, ms: time(fn) }));
  const summary: Record<string, number> = { reference_ms: Number(reference.toFixed(3)) };
  for (const r of results) summary[`${r.label.replace(/\W+/g, '_')}_ratio`] = Number((r.ms / reference).toFixed(3));
  const table = [
    `${COURTS} courts x ${MATCHES_PER_COURT} matches; median of ${REPEATS} runs. Ratio < 1: cheaper than serialising every snapshot as JSON.`,
    '',
    '| output | median ms | ratio to JSON.stringify(snapshots) |',
    '| --- | ---: | ---: |',
    `| JSON.stringify(all snapshots) (reference) | ${reference.toFixed(3)} | 1.000 |`,
    ...results.map((r) => `| ${r.label} | ${r.ms.toFixed(3)} | ${(r.ms / reference).toFixed(3)} |`),
  ].join('\n');
  return { name: 'broadcast feeds', table, summary };
}

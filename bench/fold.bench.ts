/**
 * Fold throughput and linearity: a 10,000- and a 100,000-event history folded with
 * foldMatch for generic and tennis, side by side; the ratio of per-event cost
 * (100k / 10k) near 1 means the fold is linear. Plus MatchReducer append throughput
 * (check + apply per event, as the console and the server call it).
 *
 * Histories are built through the rules (check, then apply) with a seeded generator:
 * random rallies, where a side on match point loses the point so that the match goes
 * on; about one event in a thousand is a correction of the previous point. Events are
 * folded as freshly parsed JSON, the form in which the server and the console read them.
 */
import { foldMatch, MatchReducer, type FoldableEvent } from '../shared/domain/index.js';
import type { Sport } from '../shared/events.js';
import type { MatchMeta } from '../shared/match.js';
import type { BenchResult } from './types.js';

const SMALL = 10_000;
const LARGE = 100_000;
/** Repetitions per measurement; the median damps GC pauses and JIT warm-up. */
const REPEATS = 9;
/** Untimed runs first, so the JIT has compiled the fold before we time it. */
const WARMUP = 3;
/** One correction per this many events: realistic for a scorer's undo rate. */
const CORRECTION_EVERY = 1000;
const BASE_MS = Date.parse('2026-05-01T10:00:00.000Z');

function meta(sport: Sport): MatchMeta {
  return {
    id: `bench-${sport}`,
    sport,
    court: 'Bench',
    home: { name: 'Home' },
    away: { name: 'Away' },
    scheduledAt: null,
    slotMinutes: null,
    options: sport === 'tennis' ? { bestOf: 5 } : {},
  };
}

/** Deterministic PRNG (mulberry32), so every run folds the same histories. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Draft = Omit<FoldableEvent, 'seq' | 'at' | 'cursor'>;

function history(sport: Sport, count: number, withCorrections: boolean): FoldableEvent[] {
  const rnd = random(42);
  const reducer = new MatchReducer(meta(sport));
  const push = (draft: Draft): void => {
    const seq = reducer.lastSeq + 1;
    const event = { ...draft, seq, at: new Date(BASE_MS + seq * 1000).toISOString(), cursor: seq } as FoldableEvent;
    if (reducer.check(event).ok) reducer.apply(event);
  };
  push({ type: 'MATCH_START', payload: {} });
  let lastPoint = 0;
  while (reducer.lastSeq < count) {
    const seq = reducer.lastSeq + 1;
    const r = rnd();
    if (withCorrections && seq % CORRECTION_EVERY === 0 && lastPoint > 0) {
      push({ type: 'CORRECTION', payload: { undoes: lastPoint } });
      lastPoint = 0;
    } else if (sport === 'generic' && seq % 500 === 0) {
      push({ type: 'PERIOD_END', payload: {} });
      push({ type: 'PERIOD_START', payload: {} });
    } else if (r < 0.03) {
      push({ type: 'EVENT_ADDED', payload: { kind: 'timeout', side: r < 0.015 ? 'home' : 'away' } });
    } else if (r < 0.05) {
      const running = reducer.snapshot().clock.running;
      push({ type: running ? 'CLOCK_STOP' : 'CLOCK_START', payload: { remainingMs: Math.floor(r * 1e7) } });
    } else {
      const onMatchPoint = reducer.snapshot().matchPoint;
      const side = onMatchPoint ? (onMatchPoint === 'home' ? 'away' : 'home') : rnd() < 0.5 ? 'home' : 'away';
      const points = sport === 'generic' ? 1 + Math.floor(rnd() * 3) : undefined;
      push({ type: 'SCORE_UPDATE', payload: points === undefined ? { side } : { side, points } });
      lastPoint = reducer.lastSeq;
    }
  }
  // As a reader gets them from storage (PostgreSQL rows, SQLite rows): freshly parsed
  // objects. Folding the generator's own objects, scattered among its garbage, measures
  // cache misses rather than the fold.
  return JSON.parse(JSON.stringify(reducer.events().slice(0, count))) as FoldableEvent[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeMs(run: () => void): number {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Median time of one fold of `small` and of `large`, measured interleaved (so load from
 * other processes hits both alike), with `small` folded repeatedly per sample so that both
 * samples do the same amount of work.
 */
function timePair(small: () => void, large: () => void, smallPerSample: number): { small: number; large: number } {
  for (let i = 0; i < WARMUP; i++) {
    small();
    large();
  }
  const smallTimes: number[] = [];
  const largeTimes: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    let start = performance.now();
    for (let k = 0; k < smallPerSample; k++) small();
    smallTimes.push((performance.now() - start) / smallPerSample);
    start = performance.now();
    large();
    largeTimes.push(performance.now() - start);
  }
  return { small: median(smallTimes), large: median(largeTimes) };
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export default async function run(): Promise<BenchResult> {
  const rows: string[] = [];
  const summary: Record<string, number | string> = {};
  for (const sport of ['generic', 'tennis'] as const) {
    const large = history(sport, LARGE, true);
    const small = large.slice(0, SMALL);
    const m = meta(sport);
    let sink = 0;
    const { small: tSmall, large: tLarge } = timePair(
      () => (sink += foldMatch(m, small).home.score),
      () => (sink += foldMatch(m, large).home.score),
      LARGE / SMALL,
    );
    const perSmall = tSmall / SMALL;
    const perLarge = tLarge / LARGE;
    const ratio = perLarge / perSmall;
    const snap = foldMatch(m, large);
    rows.push(
      `| ${sport} | ${fmt(SMALL)} | ${fmt(tSmall, 2)} | ${fmt(SMALL / (tSmall / 1000))} | ${fmt(perSmall * 1000, 3)} | |`,
      `| ${sport} | ${fmt(LARGE)} | ${fmt(tLarge, 2)} | ${fmt(LARGE / (tLarge / 1000))} | ${fmt(perLarge * 1000, 3)} | ${fmt(ratio, 2)} |`,
    );
    summary[`${sport}_fold_100k_events_per_s`] = Math.round(LARGE / (tLarge / 1000));
    summary[`${sport}_per_event_cost_ratio_100k_vs_10k`] = Number(ratio.toFixed(2));
    summary[`${sport}_corrections_in_history`] = snap.cancelledSeqs.length;
    if (sink === -1) console.log(sink); // keeps the folds from being optimised away
  }

  // Append: the writer's path, check + apply per event, snapshot every 100 events (a batch).
  const appendRows: string[] = [];
  for (const sport of ['generic', 'tennis'] as const) {
    const events = history(sport, LARGE, false);
    const m = meta(sport);
    const tAppend = timeMs(() => {
      const reducer = new MatchReducer(m);
      for (const e of events) {
        if (reducer.check(e).ok) reducer.apply(e);
        if (e.seq % 100 === 0) reducer.snapshot();
      }
    });
    const tFold = timeMs(() => foldMatch(m, events));
    const eps = Math.round(LARGE / (tAppend / 1000));
    appendRows.push(`| ${sport} | ${fmt(LARGE)} | ${fmt(tAppend, 2)} | ${fmt(eps)} | ${fmt(tAppend / tFold, 2)} |`);
    summary[`${sport}_reducer_append_events_per_s`] = eps;
  }

  const table = [
    `foldMatch over one match's history (median of ${REPEATS} interleaved samples after ${WARMUP} warm-up runs; ~1 correction per ${CORRECTION_EVERY} events).`,
    'The last column is the per-event cost at 100k divided by that at 10k: about 1 means linear.',
    '',
    '| sport | events | fold ms | events/s | µs/event | per-event cost 100k / 10k |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'MatchReducer append (check + apply per event, snapshot every 100 events), no corrections;',
    'the last column compares it with one foldMatch of the same events.',
    '',
    '| sport | events | append ms | events/s | append time / fold time |',
    '|---|---:|---:|---:|---:|',
    ...appendRows,
  ].join('\n');
  return { name: 'fold', table, summary };
}

/**
 * The officials' calls of contract v1.1 as short overlay texts, from the snapshot only
 * (the rules decided them in shared/domain): an interval with its countdown, change ends,
 * the doubles server and receiver (badminton: from which court), time-outs left, the
 * team-foul penalty and fouled-out players. Plain JS so the browser loads it as is.
 */
import { formatClock } from './court-view.js';

const INTERVAL_LABEL = { 'mid-game': 'INTERVAL', 'between-games': 'BREAK', 'between-sets': 'BREAK' };

/** Milliseconds of the interval left at `nowMs` (it started with the event that called it). */
export function intervalLeftMs(snapshot, nowMs) {
  if (!snapshot?.interval || !snapshot.updatedAt) return 0;
  const started = Date.parse(snapshot.updatedAt);
  const elapsed = Number.isNaN(started) ? 0 : Math.max(0, nowMs - started);
  return Math.max(0, snapshot.interval.seconds * 1000 - elapsed);
}

/** The calls to show now, most urgent first; each `{kind, text}`. */
export function officialCalls(snapshot, nowMs) {
  if (!snapshot || snapshot.status === 'finished') return [];
  const calls = [];
  if (snapshot.interval) {
    const left = Math.ceil(intervalLeftMs(snapshot, nowMs) / 1000) * 1000;
    calls.push({
      kind: 'interval',
      text: `${INTERVAL_LABEL[snapshot.interval.reason] ?? 'INTERVAL'} ${formatClock(left)}`,
    });
  }
  if (snapshot.changeEnds) calls.push({ kind: 'change-ends', text: 'CHANGE ENDS' });
  if (snapshot.servingPlayer) {
    const court = snapshot.serviceCourt ? ` (${snapshot.serviceCourt === 'right' ? 'R' : 'L'})` : '';
    calls.push({ kind: 'serve', text: `${snapshot.servingPlayer}${court} → ${snapshot.receivingPlayer ?? ''}` });
  } else if (snapshot.serviceCourt && snapshot.serving)
    calls.push({ kind: 'serve', text: `${snapshot[snapshot.serving].name} serves ${snapshot.serviceCourt}` });
  if (snapshot.timeoutsLeft)
    calls.push({ kind: 'timeouts', text: `TO ${snapshot.timeoutsLeft.home}-${snapshot.timeoutsLeft.away}` });
  for (const side of ['home', 'away']) {
    if (snapshot.penalty?.[side]) calls.push({ kind: 'penalty', text: `PENALTY ${snapshot[side].name}` });
    for (const player of snapshot.tally?.[side]?.disqualified ?? [])
      calls.push({ kind: 'fouled-out', text: `#${player} ${snapshot[side].name} FOULED OUT` });
  }
  return calls;
}

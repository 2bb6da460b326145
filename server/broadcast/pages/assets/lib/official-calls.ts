/**
 * The officials' calls of contract v1.1 as short overlay texts, from the snapshot only
 * (the rules decided them in shared/domain): an interval with its countdown, change ends,
 * the doubles server and receiver (badminton: from which court), time-outs left, the
 * team-foul penalty and fouled-out players.
 */
import type { IntervalReason, MatchSnapshot } from '../../../../../shared/match.js';
import { formatClock } from './court-view.js';

export interface OfficialCall {
  kind: 'interval' | 'change-ends' | 'serve' | 'timeouts' | 'penalty' | 'fouled-out';
  text: string;
}

const INTERVAL_LABEL: Record<IntervalReason, string> = {
  'mid-game': 'INTERVAL',
  'between-games': 'BREAK',
  'between-sets': 'BREAK',
};
const SIDES = ['home', 'away'] as const;

/** Milliseconds of the interval left at `nowMs` (it started with the event that called it). */
export function intervalLeftMs(snapshot: MatchSnapshot | null | undefined, nowMs: number): number {
  if (!snapshot?.interval || !snapshot.updatedAt) return 0;
  const started = Date.parse(snapshot.updatedAt);
  const elapsed = Number.isNaN(started) ? 0 : Math.max(0, nowMs - started);
  return Math.max(0, snapshot.interval.seconds * 1000 - elapsed);
}

function serveCall(snapshot: MatchSnapshot): OfficialCall | null {
  if (snapshot.servingPlayer) {
    const court = snapshot.serviceCourt ? ` (${snapshot.serviceCourt === 'right' ? 'R' : 'L'})` : '';
    return { kind: 'serve', text: `${snapshot.servingPlayer}${court} → ${snapshot.receivingPlayer ?? ''}` };
  }
  if (snapshot.serviceCourt && snapshot.serving)
    return { kind: 'serve', text: `${snapshot[snapshot.serving].name} serves ${snapshot.serviceCourt}` };
  return null;
}

/** The calls to show now, most urgent first. */
export function officialCalls(snapshot: MatchSnapshot | null | undefined, nowMs: number): OfficialCall[] {
  if (!snapshot || snapshot.status === 'finished') return [];
  const calls: OfficialCall[] = [];
  if (snapshot.interval) {
    const left = Math.ceil(intervalLeftMs(snapshot, nowMs) / 1000) * 1000;
    // A reason this build does not know (a newer server) still shows as an interval.
    const label = INTERVAL_LABEL[snapshot.interval.reason] ?? 'INTERVAL';
    calls.push({ kind: 'interval', text: `${label} ${formatClock(left)}` });
  }
  if (snapshot.changeEnds) calls.push({ kind: 'change-ends', text: 'CHANGE ENDS' });
  const serve = serveCall(snapshot);
  if (serve) calls.push(serve);
  if (snapshot.timeoutsLeft)
    calls.push({ kind: 'timeouts', text: `TO ${snapshot.timeoutsLeft.home}-${snapshot.timeoutsLeft.away}` });
  for (const side of SIDES) {
    if (snapshot.penalty?.[side]) calls.push({ kind: 'penalty', text: `PENALTY ${snapshot[side].name}` });
    for (const player of snapshot.tally?.[side]?.disqualified ?? [])
      calls.push({ kind: 'fouled-out', text: `#${player} ${snapshot[side].name} FOULED OUT` });
  }
  return calls;
}

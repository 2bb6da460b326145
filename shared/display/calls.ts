/**
 * The officials' calls of contract v1.1 as text, from the snapshot only (the rules decided
 * them in shared/domain): an interval with its countdown, change ends, who serves from which
 * court to whom, time-outs left, the team-foul penalty and each player's fouls. A finished
 * match has none: nobody has to act on it any more.
 */
import type { Side } from '../events.js';
import type { IntervalReason, MatchSnapshot } from '../match.js';
import { timeoutsLeftAt } from '../domain/sports/basketball.js';
import { countdownText } from './clock.js';

const SIDES: readonly Side[] = ['home', 'away'];

export const INTERVAL_LABELS: Record<IntervalReason, string> = {
  'mid-game': 'Interval',
  'between-games': 'Interval between games',
  'between-sets': 'Interval between sets',
};

export type OfficialCall =
  | { kind: 'interval'; text: string; label: string; countdown: string; over: boolean }
  | { kind: 'change-ends' | 'serve' | 'timeouts' | 'penalty'; text: string }
  | { kind: 'fouls'; side: Side; text: string; fouledOut: boolean };
export type OfficialCallKind = OfficialCall['kind'];

/** Milliseconds of the interval left at `nowMs`: it started with the event that called it (`updatedAt`). */
export function intervalLeftMs(snapshot: Pick<MatchSnapshot, 'interval' | 'updatedAt'>, nowMs: number): number {
  if (!snapshot.interval || !snapshot.updatedAt) return 0;
  const started = Date.parse(snapshot.updatedAt);
  const elapsed = Number.isNaN(started) ? 0 : Math.max(0, nowMs - started);
  return Math.max(0, snapshot.interval.seconds * 1000 - elapsed);
}

function intervalCall(snapshot: MatchSnapshot, nowMs: number): OfficialCall | null {
  if (!snapshot.interval) return null;
  const left = intervalLeftMs(snapshot, nowMs);
  const label = INTERVAL_LABELS[snapshot.interval.reason];
  const countdown = countdownText(left);
  const over = left === 0;
  return { kind: 'interval', label, countdown, over, text: `${label} ${countdown}${over ? ' (time: play)' : ''}` };
}

/** Who serves, from which court (badminton), to whom (doubles); null while nobody serves. */
export function serveText(snapshot: MatchSnapshot): string | null {
  if (snapshot.status !== 'live' && snapshot.status !== 'paused') return null;
  const court = snapshot.serviceCourt ? ` from the ${snapshot.serviceCourt} court` : '';
  if (snapshot.servingPlayer)
    return `${snapshot.servingPlayer} serves${court} to ${snapshot.receivingPlayer ?? 'the receiver'}`;
  if (snapshot.serving && court) return `${snapshot[snapshot.serving].name} serves${court}`;
  return null;
}

function timeoutsCall(snapshot: MatchSnapshot, nowMs: number): OfficialCall | null {
  // FIBA 18.2.5: a fourth-quarter clock running into the last 2:00 caps them with no event.
  const left = timeoutsLeftAt(snapshot, nowMs);
  if (!left) return null;
  const text = `Time-outs left: ${snapshot.home.name} ${left.home} · ${snapshot.away.name} ${left.away}`;
  return { kind: 'timeouts', text };
}

function penaltyCall(snapshot: MatchSnapshot): OfficialCall | null {
  const penalty = snapshot.penalty;
  const teams = SIDES.filter((side) => penalty?.[side]).map((side) => snapshot[side].name);
  return teams.length ? { kind: 'penalty', text: `Penalty (team fouls): ${teams.join(', ')}` } : null;
}

/** Each player's personal fouls, `#7 5 fouled out` for one who reached the limit (basketball). */
function foulsCall(snapshot: MatchSnapshot, side: Side): OfficialCall | null {
  const tally = snapshot.tally?.[side];
  const fouls = Object.entries(tally?.playerFouls ?? {});
  if (fouls.length === 0) return null;
  const out = new Set(tally?.disqualified ?? []);
  const line = fouls.map(([player, n]) => `#${player} ${n}${out.has(player) ? ' fouled out' : ''}`).join(', ');
  return { kind: 'fouls', side, fouledOut: out.size > 0, text: `Fouls ${snapshot[side].name}: ${line}` };
}

/** The calls to show at `nowMs` (server time), most urgent first. */
export function officialCalls(snapshot: MatchSnapshot, nowMs: number): OfficialCall[] {
  if (snapshot.status === 'finished') return [];
  const serve = serveText(snapshot);
  const calls: (OfficialCall | null)[] = [
    intervalCall(snapshot, nowMs),
    snapshot.changeEnds ? { kind: 'change-ends', text: 'Change ends' } : null,
    serve ? { kind: 'serve', text: serve } : null,
    timeoutsCall(snapshot, nowMs),
    penaltyCall(snapshot),
    ...SIDES.map((side) => foulsCall(snapshot, side)),
  ];
  return calls.filter((call): call is OfficialCall => call !== null);
}

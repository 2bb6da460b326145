/**
 * The court wall's alerts, as a pure function of what the wall knows and the time:
 * a console offline longer than the threshold, a backlog that is big or growing, a match
 * running past its slot (scheduledAt + slotMinutes) without being finished, and an online
 * console's device health (contract 1.1): low battery, slow link, clock off. Each alert is
 * recomputed from the latest report, so it clears when its condition does.
 */
import type { MatchSnapshot } from '../../../../../shared/match.js';
import type { ConsolePresence } from '../../../../../shared/protocol.js';

export type HealthProblemKind = 'battery' | 'rtt' | 'clock';
export interface HealthProblem {
  kind: HealthProblemKind;
  text: string;
}
export interface WallAlert {
  kind: 'offline' | 'backlog' | 'overrun' | 'verify' | HealthProblemKind;
  key: string;
  message: string;
}
export interface AlertSettings {
  consoleOfflineAlertMs: number;
  backlogAlertEvents: number;
}

/** Battery level below which a console not charging is about to die mid-match (contract 1.1). */
export const BATTERY_ALERT_LEVEL = 0.2;
/** Round trip above which scoring feels late on air and acks risk timing out (contract 1.1). */
export const RTT_ALERT_MS = 500;
/** Clock offset beyond which the console's wall clock is plainly wrong (contract 1.1). */
export const CLOCK_OFFSET_ALERT_MS = 2000;

/** Reports kept per console to tell a growing backlog from a steady one. */
export const BACKLOG_HISTORY = 4;
/** A backlog is growing when it rose in each of this many consecutive reports. */
const GROWTH_REPORTS = 3;
/** Console ids are UUIDs: their first characters tell consoles apart on a wall. */
const SHORT_ID_LENGTH = 8;

/** Remember a console's pending count (only when it changed or after a gap); returns the new history. */
export function recordPending(history: readonly number[] | undefined, pending: number): number[] {
  const next = [...(history ?? []), pending];
  return next.slice(-BACKLOG_HISTORY);
}

export function isGrowing(history: readonly number[] | undefined): boolean {
  if (!history || history.length < GROWTH_REPORTS) return false;
  const recent = history.slice(-GROWTH_REPORTS);
  return recent.every((value, i) => i === 0 || value > (recent[i - 1] ?? value));
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.floor(ms / 1000)} s`;
}

function shortId(p: ConsolePresence): string {
  return String(p.consoleId).slice(0, SHORT_ID_LENGTH);
}

function consoleLabel(p: ConsolePresence): string {
  return `${p.user || 'console'} (${shortId(p)})${p.court ? ` on court ${p.court}` : ''}`;
}

/** "15% charging", or "—" when the console reports no battery. */
export function formatBattery(battery: ConsolePresence['battery']): string {
  if (!battery) return '—';
  return `${Math.round(battery.level * 100)}%${battery.charging ? ' charging' : ''}`;
}

/** "+5.0 s" / "-120 ms" (console minus server), or "—". */
export function formatOffset(offsetMs: number | null | undefined): string {
  if (offsetMs === null || offsetMs === undefined) return '—';
  const sign = offsetMs > 0 ? '+' : offsetMs < 0 ? '-' : '';
  const abs = Math.abs(offsetMs);
  return abs >= 1000 ? `${sign}${(abs / 1000).toFixed(1)} s` : `${sign}${Math.round(abs)} ms`;
}

/** What is wrong with a console's device health (empty: nothing), by the contract's thresholds. */
export function healthProblems(p: ConsolePresence): HealthProblem[] {
  const problems: HealthProblem[] = [];
  if (p.battery && p.battery.level < BATTERY_ALERT_LEVEL && !p.battery.charging)
    problems.push({ kind: 'battery', text: `battery ${formatBattery(p.battery)}, not charging` });
  if (typeof p.rttMs === 'number' && p.rttMs > RTT_ALERT_MS)
    problems.push({ kind: 'rtt', text: `slow link: ${Math.round(p.rttMs)} ms round trip` });
  if (typeof p.clockOffsetMs === 'number' && Math.abs(p.clockOffsetMs) > CLOCK_OFFSET_ALERT_MS)
    problems.push({ kind: 'clock', text: `clock off by ${formatOffset(p.clockOffsetMs)}` });
  return problems;
}

/** The health a court card shows beside a console: battery, round trip, offset, version. */
export function healthText(p: ConsolePresence): string {
  const parts: string[] = [];
  if (p.battery) parts.push(`battery ${formatBattery(p.battery)}`);
  if (typeof p.rttMs === 'number') parts.push(`${Math.round(p.rttMs)} ms`);
  if (typeof p.clockOffsetMs === 'number') parts.push(`clock ${formatOffset(p.clockOffsetMs)}`);
  if (p.appVersion) parts.push(`v${p.appVersion}`);
  return parts.join(' · ');
}

/** When a match's slot ends, or null when it has no slot. */
export function slotEndMs(snapshot: Pick<MatchSnapshot, 'scheduledAt' | 'slotMinutes'>): number | null {
  if (!snapshot.scheduledAt || !snapshot.slotMinutes) return null;
  const start = Date.parse(snapshot.scheduledAt);
  return Number.isNaN(start) ? null : start + snapshot.slotMinutes * 60_000;
}

/** One console's alerts: offline too long, a big or growing backlog, device health while online. */
function consoleAlerts(p: ConsolePresence, input: AlertInput): WallAlert[] {
  const { settings, backlog, nowMs } = input;
  const alerts: WallAlert[] = [];
  const since = Date.parse(p.since);
  if (!p.online && !Number.isNaN(since) && nowMs - since > settings.consoleOfflineAlertMs) {
    alerts.push({
      kind: 'offline',
      key: `offline:${p.consoleId}`,
      message: `${consoleLabel(p)} offline for ${minutes(nowMs - since)}`,
    });
  }
  const history = backlog.get(p.consoleId);
  if (p.pending > 0 && (p.pending >= settings.backlogAlertEvents || isGrowing(history))) {
    const trend = isGrowing(history) ? ', growing' : '';
    alerts.push({
      kind: 'backlog',
      key: `backlog:${p.consoleId}`,
      message: `${consoleLabel(p)} has ${p.pending} events waiting${trend}`,
    });
  }
  // An offline console's last report says nothing about now: the offline alert covers it.
  if (!p.online) return alerts;
  for (const problem of healthProblems(p)) {
    alerts.push({
      kind: problem.kind,
      key: `${problem.kind}:${p.consoleId}`,
      // The court first: the director scans the list by court.
      message: p.court
        ? `Court ${p.court}: ${p.user || 'console'} (${shortId(p)}): ${problem.text}`
        : `${consoleLabel(p)}: ${problem.text}`,
    });
  }
  return alerts;
}

/** One match's alerts: the verifying scorer disagrees, the match runs past its slot. */
function matchAlerts(m: MatchSnapshot, nowMs: number): WallAlert[] {
  const alerts: WallAlert[] = [];
  // A verifying scorer's stream has disagreed for 2 s or more (the server says so in verificationAlert).
  if (m.verificationAlert && m.status !== 'finished') {
    const unverified = m.verification?.state === 'disagree' ? ', score unverified' : '';
    alerts.push({
      kind: 'verify',
      key: `verify:${m.id}`,
      message: `Court ${m.court}: the verifying scorer disagrees with ${m.home.name} v ${m.away.name}${unverified}`,
    });
  }
  const end = slotEndMs(m);
  if (end !== null && m.status !== 'finished' && nowMs > end) {
    alerts.push({
      kind: 'overrun',
      key: `overrun:${m.id}`,
      message: `${m.home.name} v ${m.away.name} on court ${m.court} is ${minutes(nowMs - end)} past its slot`,
    });
  }
  return alerts;
}

export interface AlertInput {
  presences: readonly ConsolePresence[];
  matches: readonly MatchSnapshot[];
  settings: AlertSettings;
  /** Recent pending counts per console id (recordPending). */
  backlog: Map<string, number[]>;
  nowMs: number;
}

export function computeAlerts(input: AlertInput): WallAlert[] {
  return [
    ...input.presences.flatMap((p) => consoleAlerts(p, input)),
    ...input.matches.flatMap((m) => matchAlerts(m, input.nowMs)),
  ];
}

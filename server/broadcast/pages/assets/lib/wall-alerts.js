/**
 * The court wall's alerts, as a pure function of what the wall knows and the time:
 * a console offline longer than the threshold, a backlog that is big or growing, and a
 * match running past its slot (scheduledAt + slotMinutes) without being finished.
 */

/** Reports kept per console to tell a growing backlog from a steady one. */
export const BACKLOG_HISTORY = 4;
/** A backlog is growing when it rose in each of this many consecutive reports. */
const GROWTH_REPORTS = 3;

/** Remember a console's pending count (only when it changed or after a gap); returns the new history. */
export function recordPending(history, pending) {
  const next = [...(history ?? []), pending];
  return next.slice(-BACKLOG_HISTORY);
}

export function isGrowing(history) {
  if (!history || history.length < GROWTH_REPORTS) return false;
  const recent = history.slice(-GROWTH_REPORTS);
  return recent.every((value, i) => i === 0 || value > recent[i - 1]);
}

function minutes(ms) {
  const m = Math.floor(ms / 60_000);
  return m >= 1 ? `${m} min` : `${Math.floor(ms / 1000)} s`;
}

function consoleLabel(p) {
  return `${p.user || 'console'} (${String(p.consoleId).slice(0, 8)})${p.court ? ` on court ${p.court}` : ''}`;
}

/** When a match's slot ends, or null when it has no slot. */
export function slotEndMs(snapshot) {
  if (!snapshot.scheduledAt || !snapshot.slotMinutes) return null;
  const start = Date.parse(snapshot.scheduledAt);
  return Number.isNaN(start) ? null : start + snapshot.slotMinutes * 60_000;
}

/**
 * @param {{ presences: object[], matches: object[], settings: { consoleOfflineAlertMs: number, backlogAlertEvents: number },
 *           backlog: Map<string, number[]>, nowMs: number }} input
 * @returns {{ kind: 'offline' | 'backlog' | 'overrun', key: string, message: string }[]}
 */
export function computeAlerts({ presences, matches, settings, backlog, nowMs }) {
  const alerts = [];
  for (const p of presences) {
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
  }
  for (const m of matches) {
    const end = slotEndMs(m);
    if (end !== null && m.status !== 'finished' && nowMs > end) {
      alerts.push({
        kind: 'overrun',
        key: `overrun:${m.id}`,
        message: `${m.home.name} v ${m.away.name} on court ${m.court} is ${minutes(nowMs - end)} past its slot`,
      });
    }
  }
  return alerts;
}

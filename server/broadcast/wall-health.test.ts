import { describe, expect, it } from 'vitest';
import type { ConsolePresence } from '../../shared/protocol.js';
import {
  BATTERY_ALERT_LEVEL,
  CLOCK_OFFSET_ALERT_MS,
  computeAlerts,
  formatOffset,
  healthProblems,
  RTT_ALERT_MS,
} from './pages/assets/lib/wall-alerts.js';

const settings = { consoleOfflineAlertMs: 60_000, backlogAlertEvents: 50 };
const now = Date.parse('2026-12-01T12:00:00Z');

function presence(p: Partial<ConsolePresence>): ConsolePresence {
  return {
    consoleId: '11111111-2222-4333-8444-555555555555',
    user: 'desk',
    court: '3',
    matchId: null,
    pending: 0,
    lastConfirmedAt: null,
    state: 'live',
    online: true,
    since: new Date(now).toISOString(),
    ...p,
  };
}

const kinds = (p: Partial<ConsolePresence>) => healthProblems(presence(p)).map((x) => x.kind);

describe('court wall device-health alerts (contract 1.1 thresholds)', () => {
  it('alerts strictly beyond each threshold, not at it', () => {
    expect(kinds({ battery: { level: BATTERY_ALERT_LEVEL, charging: false } })).toEqual([]);
    expect(kinds({ battery: { level: 0.19, charging: false } })).toEqual(['battery']);
    expect(kinds({ battery: { level: 0.05, charging: true } })).toEqual([]);
    expect(kinds({ rttMs: RTT_ALERT_MS })).toEqual([]);
    expect(kinds({ rttMs: RTT_ALERT_MS + 1 })).toEqual(['rtt']);
    expect(kinds({ clockOffsetMs: CLOCK_OFFSET_ALERT_MS })).toEqual([]);
    expect(kinds({ clockOffsetMs: -CLOCK_OFFSET_ALERT_MS - 1 })).toEqual(['clock']);
    expect(kinds({ battery: null, rttMs: null, clockOffsetMs: null })).toEqual([]);
  });

  it('names the court, and clears with the condition or when the console is offline', () => {
    const bad = presence({ battery: { level: 0.1, charging: false }, rttMs: 900, clockOffsetMs: 5000 });
    const alerts = computeAlerts({ presences: [bad], matches: [], settings, backlog: new Map(), nowMs: now });
    expect(alerts.map((a) => a.kind)).toEqual(['battery', 'rtt', 'clock']);
    for (const a of alerts) expect(a.message).toMatch(/^Court 3: desk \(11111111\): /);
    const fixed = { ...bad, battery: { level: 0.1, charging: true }, rttMs: 30, clockOffsetMs: 4 };
    expect(computeAlerts({ presences: [fixed], matches: [], settings, backlog: new Map(), nowMs: now })).toEqual([]);
    const offline = { ...bad, online: false };
    expect(
      computeAlerts({ presences: [offline], matches: [], settings, backlog: new Map(), nowMs: now }).map((a) => a.kind),
    ).toEqual([]);
  });

  it('formats offsets as the wall shows them', () => {
    expect(formatOffset(5000)).toBe('+5.0 s');
    expect(formatOffset(-120)).toBe('-120 ms');
    expect(formatOffset(0)).toBe('0 ms');
    expect(formatOffset(null)).toBe('—');
  });
});

/** The verify stream on the pages: the overlays' `unverified` parameter and the court wall's alert. */
import { describe, expect, it } from 'vitest';
import { configFromSearch, DEFAULT_CONFIG } from './pages/assets/lib/overlay-config.js';
import { computeAlerts } from './pages/assets/lib/wall-alerts.js';

const settings = { consoleOfflineAlertMs: 60_000, backlogAlertEvents: 50 };
const match = (extra: object) => ({
  id: 'm1',
  court: '3',
  status: 'live',
  home: { name: 'Ana', score: 2 },
  away: { name: 'Bea', score: 1 },
  scheduledAt: null,
  slotMinutes: null,
  ...extra,
});
const alertsOf = (m: object) =>
  computeAlerts({ presences: [], matches: [m] as never, settings, backlog: new Map(), nowMs: Date.now() });

describe('overlay parameter unverified', () => {
  it('is show by default, takes mark or hide, and ignores anything else', () => {
    expect(DEFAULT_CONFIG.unverified).toBe('show');
    expect(configFromSearch('?court=1&unverified=mark').unverified).toBe('mark');
    expect(configFromSearch('?court=1&unverified=hide').unverified).toBe('hide');
    expect(configFromSearch('?court=1&unverified=blink').unverified).toBe('show');
  });
});

describe('court wall verify alert', () => {
  it('names the court while the server reports a verification alert, and clears with it', () => {
    const since = new Date().toISOString();
    expect(alertsOf(match({ verification: { state: 'agree', since }, verificationAlert: null }))).toEqual([]);
    const alerting = alertsOf(match({ verification: { state: 'agree', since }, verificationAlert: { since } }));
    expect(alerting).toEqual([
      expect.objectContaining({ kind: 'verify', key: 'verify:m1', message: expect.stringContaining('Court 3') }),
    ]);
    const unverified = alertsOf(match({ verification: { state: 'disagree', since }, verificationAlert: { since } }));
    expect(unverified[0]!.message).toContain('score unverified');
    expect(alertsOf(match({}))).toEqual([]);
  });
});

/** Pure helpers of the overlay pages and the court wall (plain JS modules, run here in Node). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDelayLine } from './pages/assets/lib/delay-line.js';
import { configFromSearch, DEFAULT_CONFIG, mergeConfig, parseUpdateData } from './pages/assets/lib/overlay-config.js';
import { computeAlerts, isGrowing, recordPending, slotEndMs } from './pages/assets/lib/wall-alerts.js';
import { snapshot } from '../../test/support/broadcast/snapshots.js';

describe('overlay config', () => {
  it('reads theme, accent, position, scale, sets, delay from the URL', () => {
    const config = configFromSearch(
      '?court=2&token=t&theme=light&accent=e91e63&position=top-right&scale=1.5&showSets=0&delay=7&hideStale=1',
    );
    expect(config).toMatchObject({
      court: '2',
      token: 't',
      theme: 'light',
      accent: '#e91e63',
      position: 'top-right',
      scale: 1.5,
      showSets: false,
      delaySeconds: 7,
      hideStale: true,
    });
  });

  it('falls back to defaults for values that could break the page or inject CSS', () => {
    const config = configFromSearch(
      '?theme=neon&accent=red;background:url(x)&position=middle&scale=abc&delay=-5&showSets=',
    );
    expect(config).toMatchObject({
      theme: DEFAULT_CONFIG.theme,
      accent: DEFAULT_CONFIG.accent,
      position: DEFAULT_CONFIG.position,
      scale: DEFAULT_CONFIG.scale,
      delaySeconds: 0,
      showSets: true,
    });
    expect(configFromSearch('?scale=100&delay=99999')).toMatchObject({ scale: 4, delaySeconds: 300 });
    expect(configFromSearch(`?court=${'x'.repeat(65)}`).court).toBeNull();
    expect(configFromSearch('?courts=1,%202,,3').courts).toEqual(['1', '2', '3']);
  });

  it('merges CasparCG update data given as JSON, an object or XML template data', () => {
    const base = configFromSearch('?court=1');
    expect(mergeConfig(base, parseUpdateData('{"court":"4","theme":"light"}'))).toMatchObject({
      court: '4',
      theme: 'light',
    });
    expect(mergeConfig(base, parseUpdateData({ showSets: false, delay: 3 }))).toMatchObject({
      showSets: false,
      delaySeconds: 3,
    });
    const xml =
      '<templateData><componentData id="court"><data id="text" value="Centre &amp; 1" /></componentData>' +
      '<componentData id="accent"><data id="text" value="#00ff00"/></componentData></templateData>';
    expect(mergeConfig(base, parseUpdateData(xml))).toMatchObject({ court: 'Centre & 1', accent: '#00ff00' });
    for (const junk of ['not json', '42', '', null, undefined, '[1,2'])
      expect(mergeConfig(base, parseUpdateData(junk))).toEqual(base);
  });
});

describe('delay line', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('renders at once with no delay, N seconds later in arrival order otherwise', () => {
    const shown: string[] = [];
    const line = createDelayLine((view: string) => shown.push(view));
    line.push('a');
    expect(shown).toEqual(['a']);
    line.setDelaySeconds(2);
    line.push('b');
    vi.advanceTimersByTime(500);
    line.push('c');
    vi.advanceTimersByTime(1_499);
    expect(shown).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual(['a', 'b']);
    vi.advanceTimersByTime(500);
    expect(shown).toEqual(['a', 'b', 'c']);
    line.push('d');
    line.clear();
    vi.advanceTimersByTime(5_000);
    expect(shown).toEqual(['a', 'b', 'c']);
  });
});

describe('court wall alerts', () => {
  const settings = { consoleOfflineAlertMs: 60_000, backlogAlertEvents: 50 };
  const now = Date.parse('2026-11-28T12:00:00Z');
  const presence = (over: Record<string, unknown>) => ({
    consoleId: '11111111-2222-4333-8444-555555555555',
    user: 'desk1',
    court: '1',
    matchId: 'm1',
    pending: 0,
    lastConfirmedAt: null,
    state: 'live' as const,
    online: true,
    since: new Date(now - 120_000).toISOString(),
    ...over,
  });

  it('alerts a console offline longer than the threshold, not a short drop', () => {
    const long = computeAlerts({
      presences: [presence({ online: false })],
      matches: [],
      settings,
      backlog: new Map(),
      nowMs: now,
    });
    expect(long).toEqual([
      expect.objectContaining({ kind: 'offline', message: expect.stringContaining('offline for 2 min') }),
    ]);
    const short = presence({ online: false, since: new Date(now - 5_000).toISOString() });
    expect(computeAlerts({ presences: [short], matches: [], settings, backlog: new Map(), nowMs: now })).toEqual([]);
  });

  it('alerts a big backlog, and a small one that keeps growing', () => {
    const big = computeAlerts({
      presences: [presence({ pending: 50 })],
      matches: [],
      settings,
      backlog: new Map(),
      nowMs: now,
    });
    expect(big.map((a) => a.kind)).toEqual(['backlog']);
    let history: number[] = [];
    for (const pending of [1, 3, 7]) history = recordPending(history, pending);
    expect(isGrowing(history)).toBe(true);
    const growing = computeAlerts({
      presences: [presence({ pending: 7 })],
      matches: [],
      settings,
      backlog: new Map([['11111111-2222-4333-8444-555555555555', history]]),
      nowMs: now,
    });
    expect(growing[0]?.message).toMatch(/7 events waiting, growing/);
    expect(isGrowing([5, 3, 4])).toBe(false);
    expect(isGrowing([3, 3, 4])).toBe(false);
    expect(recordPending([1, 2, 3, 4], 5)).toEqual([2, 3, 4, 5]);
  });

  it('alerts a match running past its slot until it is finished', () => {
    const start = new Date(now - 90 * 60_000).toISOString();
    const live = snapshot({ status: 'live', scheduledAt: start, slotMinutes: 60, home: { name: 'A', score: 0 } });
    expect(slotEndMs(live)).toBe(now - 30 * 60_000);
    const alerts = computeAlerts({ presences: [], matches: [live], settings, backlog: new Map(), nowMs: now });
    expect(alerts).toEqual([
      expect.objectContaining({ kind: 'overrun', message: expect.stringContaining('30 min past its slot') }),
    ]);
    for (const m of [
      { ...live, status: 'finished' as const },
      { ...live, slotMinutes: 120 },
      { ...live, slotMinutes: null },
    ]) {
      expect(computeAlerts({ presences: [], matches: [m], settings, backlog: new Map(), nowMs: now })).toEqual([]);
    }
  });
});

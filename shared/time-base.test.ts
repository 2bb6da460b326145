import { describe, expect, it } from 'vitest';
import {
  addSample,
  bestSample,
  clockShown,
  localAtServerMs,
  serverNowMs,
  syncSample,
  timeBaseOf,
  TIME_SYNC_WINDOW,
} from './time-base.js';

describe('syncSample', () => {
  it('finds the offset of a client clock 5 s ahead over a symmetric link', () => {
    // Server time 1000: client sends at its 6000 (server 1000), 10 ms each way, server holds 2 ms.
    const s = syncSample(6000, 1010, 1012, 6022);
    expect(s).toEqual({ rttMs: 20, offsetMs: 5000 });
  });

  it('finds a negative offset (client 3 s behind)', () => {
    const s = syncSample(-2000, 1005, 1005, -1990);
    expect(s).toEqual({ rttMs: 10, offsetMs: -3000 });
  });

  it('errs by at most half the round trip on an asymmetric link', () => {
    // True offset 0; 40 ms out, 0 ms back.
    const s = syncSample(0, 40, 40, 40)!;
    expect(s.rttMs).toBe(40);
    expect(Math.abs(s.offsetMs)).toBeLessThanOrEqual(s.rttMs / 2);
  });

  it('refuses impossible samples', () => {
    expect(syncSample(10, 0, 0, 5)).toBeNull(); // answer before the question
    expect(syncSample(0, 10, 5, 20)).toBeNull(); // server answered before it received
    expect(syncSample(0, Number.NaN, 0, 1)).toBeNull();
  });
});

describe('window and best sample', () => {
  it('takes the offset of the smallest round trip and the rtt of the latest', () => {
    let samples = addSample([], { rttMs: 80, offsetMs: 5040 });
    samples = addSample(samples, { rttMs: 4, offsetMs: 5001 });
    samples = addSample(samples, { rttMs: 30, offsetMs: 4985 });
    expect(bestSample(samples)).toEqual({ rttMs: 4, offsetMs: 5001 });
    expect(timeBaseOf(samples)).toEqual({ offsetMs: 5001, rttMs: 30 });
  });

  it('keeps at most the window, newest last, and ignores null samples', () => {
    let samples = addSample([], null);
    expect(samples).toEqual([]);
    for (let i = 0; i < TIME_SYNC_WINDOW + 3; i++) samples = addSample(samples, { rttMs: i, offsetMs: i });
    expect(samples).toHaveLength(TIME_SYNC_WINDOW);
    expect(samples.at(-1)).toEqual({ rttMs: TIME_SYNC_WINDOW + 2, offsetMs: TIME_SYNC_WINDOW + 2 });
    expect(bestSample(samples)?.rttMs).toBe(3); // the first three fell out
  });

  it('knows nothing before the first answer', () => {
    expect(timeBaseOf([])).toEqual({ offsetMs: null, rttMs: null });
    expect(serverNowMs(1234, null)).toBe(1234);
  });
});

describe('clocks in server time', () => {
  const anchor = Date.parse('2026-01-01T10:00:00.000Z');
  const running = { running: true, remainingMs: 600_000, anchorAt: new Date(anchor).toISOString() };

  // Reading a clock at a server time is the display model's clockRemaining: shared/display/clock.test.ts.
  it('shows the same on two displays whose clocks are +5 s and -3 s off, once each knows its offset', () => {
    const serverInstant = anchor + 12_345;
    const consoleShows = clockShown(running, serverInstant + 5_000, 5_000);
    const overlayShows = clockShown(running, serverInstant - 3_000, -3_000);
    expect(consoleShows).toBe(600_000 - 12_345);
    expect(overlayShows).toBe(consoleShows);
    // Without the offset they would be 8 s apart.
    expect(clockShown(running, serverInstant + 5_000, null) - clockShown(running, serverInstant - 3_000, null)).toBe(
      -8_000,
    );
    expect(localAtServerMs(serverNowMs(42, 7), 7)).toBe(42);
  });
});

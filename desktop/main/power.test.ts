import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { POWER_POLL_MS, powerPlan, readOnBattery, watchPower, type Every, type PowerSource } from './power.js';

/** A stand-in for Electron's powerMonitor: a reading the test sets and the events it emits. */
class FakeMonitor extends EventEmitter implements PowerSource {
  onBattery = false;
  broken = false;
  isOnBatteryPower(): boolean {
    if (this.broken) throw new Error('no power information');
    return this.onBattery;
  }
}

/** A hand-driven `every`: tick() runs what is scheduled, as if the interval had passed. */
function manualEvery() {
  const runs = new Map<number, { ms: number; run: () => void }>();
  let id = 0;
  const every: Every = (ms, run) => {
    const key = id++;
    runs.set(key, { ms, run });
    return () => runs.delete(key);
  };
  return { every, runs, tick: () => [...runs.values()].forEach((r) => r.run()) };
}

describe('watching the power monitor', () => {
  it('reports at once, then each change from on-battery / on-ac, never the same twice (macOS, Windows)', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const monitor = new FakeMonitor();
      const clock = manualEvery();
      const reports: (boolean | null)[] = [];
      const stop = watchPower(monitor, (r) => reports.push(r), { platform, every: clock.every });
      expect(reports).toEqual([false]);
      monitor.onBattery = true;
      monitor.emit('on-battery');
      monitor.emit('on-battery');
      monitor.onBattery = false;
      monitor.emit('on-ac');
      expect(reports).toEqual([false, true, false]);
      // Both events exist here: nothing polls.
      expect(clock.runs.size).toBe(0);
      stop();
      expect(
        monitor.listenerCount('on-ac') + monitor.listenerCount('on-battery') + monitor.listenerCount('resume'),
      ).toBe(0);
      monitor.onBattery = true;
      monitor.emit('on-battery');
      expect(reports).toEqual([false, true, false]);
    }
  });

  it('polls where on-ac / on-battery do not exist (Linux), and reads again after a resume', () => {
    const monitor = new FakeMonitor();
    const clock = manualEvery();
    const reports: (boolean | null)[] = [];
    const stop = watchPower(monitor, (r) => reports.push(r), { platform: 'linux', every: clock.every });
    expect([...clock.runs.values()].map((r) => r.ms)).toEqual([POWER_POLL_MS]);
    clock.tick();
    expect(reports).toEqual([false]);
    monitor.onBattery = true;
    clock.tick();
    expect(reports).toEqual([false, true]);
    monitor.onBattery = false;
    monitor.emit('resume');
    expect(reports).toEqual([false, true, false]);
    stop();
    expect(clock.runs.size).toBe(0);
    expect(monitor.listenerCount('resume')).toBe(0);
  });

  it('reports null (not known) while the power monitor throws, and the reading once it answers again', () => {
    const monitor = new FakeMonitor();
    monitor.broken = true;
    expect(readOnBattery(monitor)).toBeNull();
    const clock = manualEvery();
    const reports: (boolean | null)[] = [];
    watchPower(monitor, (r) => reports.push(r), { platform: 'linux', every: clock.every });
    expect(reports).toEqual([null]);
    monitor.broken = false;
    monitor.onBattery = true;
    clock.tick();
    expect(reports).toEqual([null, true]);
  });

  it('listens to the events each platform has', () => {
    expect(powerPlan('darwin')).toEqual({ events: ['on-ac', 'on-battery', 'resume'], poll: false });
    expect(powerPlan('linux')).toEqual({ events: ['resume'], poll: true });
  });
});

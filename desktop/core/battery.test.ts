import { describe, expect, it } from 'vitest';
import { batteryReport } from './battery.js';

describe('the presence battery report', () => {
  it('is the screen reading while the power monitor is not known (web console host)', () => {
    expect(batteryReport({ screen: { level: 0.42, charging: true }, onBattery: null })).toEqual({
      level: 0.42,
      charging: true,
    });
  });

  it("takes charging from Electron's power monitor when it knows, the level from the screen", () => {
    const screen = { level: 0.15, charging: true };
    expect(batteryReport({ screen, onBattery: true })).toEqual({ level: 0.15, charging: false });
    expect(batteryReport({ screen: { level: 0.15, charging: false }, onBattery: false })).toEqual({
      level: 0.15,
      charging: true,
    });
    // The screen's own reading is left as it was.
    expect(screen).toEqual({ level: 0.15, charging: true });
  });

  it('is null without a level, whatever the power monitor says', () => {
    expect(batteryReport({ screen: null, onBattery: true })).toBeNull();
    expect(batteryReport({ screen: null, onBattery: false })).toBeNull();
    expect(batteryReport({ screen: null, onBattery: null })).toBeNull();
  });
});

/**
 * Device health (contract 1.1, presence `battery`): what the console reports from its two
 * sources. The screen's Battery API knows the level (and a charging flag of its own); in
 * Electron the main process's powerMonitor knows whether the machine runs on battery,
 * which decides `charging` when it is known. Pure: no Electron, no I/O.
 */
import type { Battery } from '../../shared/protocol.js';

export interface PowerReadings {
  /** The screen's Battery API; null: not known (no such API, or not reported yet). */
  screen: Battery | null;
  /** Electron's powerMonitor: true on battery power, false on mains; null: not known (not Electron). */
  onBattery: boolean | null;
}

/** The presence report's `battery`: null without a level, since the contract needs one. */
export function batteryReport({ screen, onBattery }: PowerReadings): Battery | null {
  if (!screen) return null;
  return onBattery === null ? screen : { level: screen.level, charging: !onBattery };
}

/**
 * Device health: the screen's Battery API (navigator.getBattery, in Electron's renderer and in
 * browsers that have it) reported to the core on every change, which puts it in presence.
 * Electron's main process adds powerMonitor's on-battery/on-mains state (desktop/main).
 */
import type { ConsoleApi } from '../../../contract/api.js';

/** The part of the Battery Status API we read (not in TypeScript's DOM types). */
interface BatteryManagerLike {
  level: number;
  charging: boolean;
  addEventListener(type: 'levelchange' | 'chargingchange', listener: () => void): void;
}

type NavigatorWithBattery = Navigator & { getBattery?: () => Promise<BatteryManagerLike> };

/** Report the battery now and on every change; nothing where the API is missing (a desktop without one). */
export function startBatteryReports(api: ConsoleApi, nav: Navigator = navigator): void {
  const getBattery = (nav as NavigatorWithBattery).getBattery;
  if (typeof getBattery !== 'function') return;
  getBattery.call(nav).then(
    (battery) => {
      const report = () => {
        if (!Number.isFinite(battery.level)) return;
        void api
          .run('reportBattery', { level: Math.min(1, Math.max(0, battery.level)), charging: battery.charging })
          .catch(() => undefined);
      };
      battery.addEventListener('levelchange', report);
      battery.addEventListener('chargingchange', report);
      report();
    },
    () => undefined,
  );
}

/**
 * Device health, the Electron side: Electron's powerMonitor says whether the machine runs on
 * battery (presence `battery.charging`; the level comes from the screen's Battery API). No
 * electron import here: index.ts hands in `powerMonitor`, which satisfies PowerSource, so
 * this logic is unit-tested without an Electron binary.
 */

/** The powerMonitor events that can change the reading. */
export type PowerEvent = 'on-ac' | 'on-battery' | 'resume';

/** The part of Electron's powerMonitor used here. */
export interface PowerSource {
  isOnBatteryPower(): boolean;
  on(event: PowerEvent, listener: () => void): unknown;
  removeListener(event: PowerEvent, listener: () => void): unknown;
}

/** Repeats `run` every `ms`; returns the stop function (setInterval in the app, a fake in tests). */
export type Every = (ms: number, run: () => void) => () => void;

/**
 * on-ac and on-battery exist on macOS and Windows only (Electron's docs); elsewhere the
 * reading is taken again this often, so a laptop unplugged on Linux shows within a minute.
 */
export const POWER_POLL_MS = 30_000;
const EVENT_PLATFORMS: readonly NodeJS.Platform[] = ['darwin', 'win32'];

/** Events to listen to and whether to poll as well, per platform. */
export function powerPlan(platform: NodeJS.Platform): { events: PowerEvent[]; poll: boolean } {
  return EVENT_PLATFORMS.includes(platform)
    ? { events: ['on-ac', 'on-battery', 'resume'], poll: false }
    : { events: ['resume'], poll: true };
}

/** The reading now; null when the power monitor cannot tell (it threw). */
export function readOnBattery(source: PowerSource): boolean | null {
  try {
    return source.isOnBatteryPower();
  } catch {
    return null;
  }
}

/**
 * Reports the reading at once and then whenever it changes (never the same twice in a row,
 * so polling does not resend presence). Returns the stop function.
 */
export function watchPower(
  source: PowerSource,
  report: (onBattery: boolean | null) => void,
  options: { platform: NodeJS.Platform; every: Every },
): () => void {
  let last: boolean | null | undefined;
  const check = () => {
    const now = readOnBattery(source);
    if (now === last) return;
    last = now;
    report(now);
  };
  const plan = powerPlan(options.platform);
  for (const event of plan.events) source.on(event, check);
  const stopPolling = plan.poll ? options.every(POWER_POLL_MS, check) : () => {};
  check();
  return () => {
    stopPolling();
    for (const event of plan.events) source.removeListener(event, check);
  };
}

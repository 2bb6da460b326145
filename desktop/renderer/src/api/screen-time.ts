/**
 * The screen's own time base: the same NTP-style exchange as the console core's with the
 * server (shared/time-base.js), run against the core's serverTime(), which answers in the
 * core's reckoning of server time. So a screen on another machine than its core (the web
 * console host over the LAN) still runs the game clock in server time. One per page.
 */
import type { ConsoleApi } from '../../../contract/api.js';
import {
  addSample,
  serverNowMs,
  syncSample,
  timeBaseOf,
  TIME_SYNC_BURST,
  TIME_SYNC_INTERVAL_MS,
  type SyncSample,
} from '../../../../shared/time-base.js';

let samples: SyncSample[] = [];
let offsetMs: number | null = null;

/** Server time now as this screen reckons it (its local clock until the first answer). */
export function screenServerNow(): number {
  return serverNowMs(Date.now(), offsetMs);
}

/** The screen's clock minus the server's, or null before the first answer. */
export function screenOffsetMs(): number | null {
  return offsetMs;
}

async function exchange(api: ConsoleApi): Promise<boolean> {
  if (!api.serverTime) return false;
  const t0 = Date.now();
  try {
    const answer = await api.serverTime();
    samples = addSample(samples, syncSample(t0, answer.receivedAt, answer.sentAt, Date.now()));
    offsetMs = timeBaseOf(samples).offsetMs;
    return true;
  } catch {
    return false; // the host is away: keep the offset we have
  }
}

/** Start measuring (a burst, then every TIME_SYNC_INTERVAL_MS); returns a stop function. */
export function startScreenTimeSync(api: ConsoleApi, intervalMs = TIME_SYNC_INTERVAL_MS): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => void exchange(api).then(next), intervalMs);
  };
  void (async () => {
    for (let i = 0; i < TIME_SYNC_BURST && !stopped; i++) if (!(await exchange(api))) break;
    next();
  })();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

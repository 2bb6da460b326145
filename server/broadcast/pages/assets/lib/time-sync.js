/**
 * A display's clock offset to the server (overlays, court wall): the NTP-style time:sync
 * exchange on its /live socket, TIME_SYNC_BURST times on every connect, then every
 * TIME_SYNC_INTERVAL_MS. The arithmetic is shared/time-base.js (served as ./time-base.js),
 * the same the consoles use, so every screen runs the game clock in server time.
 */
import {
  addSample,
  serverNowMs,
  syncSample,
  timeBaseOf,
  TIME_SYNC_BURST,
  TIME_SYNC_INTERVAL_MS,
  TIME_SYNC_TIMEOUT_MS,
} from './time-base.js';

/** @param {import('socket.io-client').Socket} socket */
export function createTimeSync(socket, intervalMs = TIME_SYNC_INTERVAL_MS) {
  let samples = [];
  let base = { offsetMs: null, rttMs: null };
  let timer = null;
  let generation = 0;

  async function exchange(gen) {
    if (gen !== generation || !socket.connected) return false;
    const t0 = Date.now();
    try {
      const ack = await socket.timeout(TIME_SYNC_TIMEOUT_MS).emitWithAck('time:sync', {});
      if (gen !== generation || !ack?.ok) return false;
      samples = addSample(samples, syncSample(t0, ack.receivedAt, ack.sentAt, Date.now()));
      base = timeBaseOf(samples);
      return true;
    } catch {
      return false;
    }
  }

  async function run(gen) {
    for (let i = 0; i < TIME_SYNC_BURST; i++) if (!(await exchange(gen))) break;
    const again = () => {
      if (gen !== generation) return;
      timer = setTimeout(() => exchange(gen).then(again), intervalMs);
    };
    again();
  }

  socket.on('connect', () => {
    clearTimeout(timer);
    generation += 1;
    samples = [];
    run(generation);
  });
  socket.on('disconnect', () => {
    clearTimeout(timer);
    generation += 1;
  });

  return {
    /** Server time now, as this display reckons it (its own clock until the first answer). */
    serverNow: () => serverNowMs(Date.now(), base.offsetMs),
    get offsetMs() {
      return base.offsetMs;
    },
    get rttMs() {
      return base.rttMs;
    },
    stop() {
      clearTimeout(timer);
      generation += 1;
    },
  };
}

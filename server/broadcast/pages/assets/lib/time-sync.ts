/**
 * A display's clock offset to the server (overlays, court wall): the NTP-style time:sync
 * exchange on its /live socket, TIME_SYNC_BURST times on every connect, then every
 * TIME_SYNC_INTERVAL_MS. The arithmetic is shared/time-base.ts, the same the consoles use,
 * so every screen runs the game clock in server time. An answer that does not parse is
 * skipped like one that never came.
 */
import {
  addSample,
  serverNowMs,
  syncSample,
  timeBaseOf,
  TIME_SYNC_BURST,
  TIME_SYNC_INTERVAL_MS,
  TIME_SYNC_TIMEOUT_MS,
  type SyncSample,
  type TimeBase,
} from '../../../../../shared/time-base.js';
import { LIVE_REQUESTS, receive } from '../../../../../shared/protocol.js';
import type { LiveSocket } from './live-feed.js';

export interface TimeSync {
  /** Server time now, as this display reckons it (its own clock until the first answer). */
  serverNow(): number;
  readonly offsetMs: number | null;
  readonly rttMs: number | null;
  stop(): void;
}

export function createTimeSync(socket: LiveSocket, intervalMs = TIME_SYNC_INTERVAL_MS): TimeSync {
  let samples: SyncSample[] = [];
  let base: TimeBase = { offsetMs: null, rttMs: null };
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bumped on every connect and disconnect: an answer of an earlier connection is dropped.
  let generation = 0;

  async function exchange(gen: number): Promise<boolean> {
    if (gen !== generation || !socket.connected) return false;
    const t0 = Date.now();
    try {
      const raw: unknown = await socket.timeout(TIME_SYNC_TIMEOUT_MS).emitWithAck('time:sync', {});
      const received = receive(LIVE_REQUESTS['time:sync'].ack, raw, 'time:sync ack');
      if (gen !== generation || !received.ok) return false;
      const ack = received.value;
      if (!ack.ok) return false;
      samples = addSample(samples, syncSample(t0, ack.receivedAt, ack.sentAt, Date.now()));
      base = timeBaseOf(samples);
      return true;
    } catch {
      return false; // no answer in time: this sample is skipped
    }
  }

  async function run(gen: number): Promise<void> {
    for (let i = 0; i < TIME_SYNC_BURST; i++) if (!(await exchange(gen))) break;
    const again = (): void => {
      if (gen !== generation) return;
      timer = setTimeout(() => void exchange(gen).then(again), intervalMs);
    };
    again();
  }

  socket.on('connect', () => {
    clearTimeout(timer);
    generation += 1;
    samples = [];
    void run(generation);
  });
  socket.on('disconnect', () => {
    clearTimeout(timer);
    generation += 1;
  });

  return {
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

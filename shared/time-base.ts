/**
 * One time base for every console and display: the pure arithmetic of an NTP-style
 * exchange with the server and of showing a running game clock in server time.
 *
 * The server, the console core, the renderer and the overlay pages (bundled by Vite) all
 * import it. No I/O, no timers, no Date.now(): every time comes in as an argument.
 *
 * Offsets are "local minus server" (the contract's clockOffsetMs: console minus server),
 * so server time = local time - offset.
 */
import type { ClockState } from './match.js';
import { clockRemaining } from './display/clock.js';

/** Repeat the exchange this often: clocks drift by ms per hour, links change by the minute. */
export const TIME_SYNC_INTERVAL_MS = 30_000;
/** Exchanges right after a connect, one after the other: one of them usually misses any queueing. */
export const TIME_SYNC_BURST = 4;
/** Samples kept; the offset comes from the one with the smallest round trip among them. */
export const TIME_SYNC_WINDOW = 8;
/** An exchange not answered within this long is dropped (its round trip would say nothing useful). */
export const TIME_SYNC_TIMEOUT_MS = 5_000;

export interface SyncSample {
  /** Round trip without the server's own time. */
  rttMs: number;
  /** Local minus server. */
  offsetMs: number;
}

export interface TimeBase {
  offsetMs: number | null;
  rttMs: number | null;
}

/**
 * One exchange: the client sent at t0 and got the answer at t3 (its clock); the server
 * received it at receivedAt and answered at sentAt (server clock). Round trip excludes
 * the server's own time; the offset assumes both legs took equally long, so its error is
 * at most half the round trip. Null for an impossible sample (the server's times come
 * off the wire: anything but finite numbers is one).
 */
export function syncSample(t0: number, receivedAt: number, sentAt: number, t3: number): SyncSample | null {
  const values: unknown[] = [t0, receivedAt, sentAt, t3];
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  if (t3 < t0 || sentAt < receivedAt) return null;
  const rttMs = Math.max(0, t3 - t0 - (sentAt - receivedAt));
  const offsetMs = (t0 - receivedAt + (t3 - sentAt)) / 2;
  return { rttMs, offsetMs };
}

/** The sample with the smallest round trip (the first of equals), or null for none. */
export function bestSample(samples: readonly (SyncSample | null)[]): SyncSample | null {
  let best: SyncSample | null = null;
  for (const s of samples) if (s && (best === null || s.rttMs < best.rttMs)) best = s;
  return best;
}

/** The window after adding a sample: newest last, at most TIME_SYNC_WINDOW. */
export function addSample(
  samples: readonly SyncSample[],
  sample: SyncSample | null,
  windowSize = TIME_SYNC_WINDOW,
): SyncSample[] {
  if (!sample) return [...samples];
  return [...samples, sample].slice(-windowSize);
}

/**
 * What a client reports and uses: the offset of the best sample, and the round trip of the
 * latest one (how the link is now). Both null before the first answer.
 */
export function timeBaseOf(samples: readonly SyncSample[]): TimeBase {
  const best = bestSample(samples);
  const latest = samples.at(-1) ?? null;
  return { offsetMs: best ? Math.round(best.offsetMs) : null, rttMs: latest ? Math.round(latest.rttMs) : null };
}

/** Server time at local time `localNowMs`; an unknown offset counts as 0 (the local clock is all there is). */
export function serverNowMs(localNowMs: number, offsetMs: number | null): number {
  return localNowMs - (offsetMs ?? 0);
}

/** Local time at which the server's clock reads `serverMs`. */
export function localAtServerMs(serverMs: number, offsetMs: number | null): number {
  return serverMs + (offsetMs ?? 0);
}

/**
 * What a display shows at its local time `localNowMs` with its measured offset: the clock
 * read at server time (anchors are server times, see anchorAt in docs/protocol.md) by the
 * display model's clockRemaining (shared/display/clock.ts).
 */
export function clockShown(clock: ClockState | null | undefined, localNowMs: number, offsetMs: number | null): number {
  return clockRemaining(clock, serverNowMs(localNowMs, offsetMs));
}

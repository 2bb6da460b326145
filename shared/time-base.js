/**
 * One time base for every console and display: the pure arithmetic of an NTP-style
 * exchange with the server and of showing a running game clock in server time.
 *
 * Plain JavaScript (typed by time-base.d.ts) because the overlays and the court wall load
 * it in the browser as it is (served at /broadcast-assets/lib/time-base.js), while the
 * server, the console core and the renderer import it from TypeScript. No I/O, no timers,
 * no Date.now(): every time comes in as an argument.
 *
 * Offsets are "local minus server" (the contract's clockOffsetMs: console minus server),
 * so server time = local time - offset.
 */

/** Repeat the exchange this often: clocks drift by ms per hour, links change by the minute. */
export const TIME_SYNC_INTERVAL_MS = 30_000;
/** Exchanges right after a connect, one after the other: one of them usually misses any queueing. */
export const TIME_SYNC_BURST = 4;
/** Samples kept; the offset comes from the one with the smallest round trip among them. */
export const TIME_SYNC_WINDOW = 8;
/** An exchange not answered within this long is dropped (its round trip would say nothing useful). */
export const TIME_SYNC_TIMEOUT_MS = 5_000;

/**
 * One exchange: the client sent at t0 and got the answer at t3 (its clock); the server
 * received it at receivedAt and answered at sentAt (server clock). Round trip excludes
 * the server's own time; the offset assumes both legs took equally long, so its error is
 * at most half the round trip.
 * @returns {{ rttMs: number, offsetMs: number } | null} null for an impossible sample
 */
export function syncSample(t0, receivedAt, sentAt, t3) {
  const values = [t0, receivedAt, sentAt, t3];
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  if (t3 < t0 || sentAt < receivedAt) return null;
  const rttMs = Math.max(0, t3 - t0 - (sentAt - receivedAt));
  const offsetMs = (t0 - receivedAt + (t3 - sentAt)) / 2;
  return { rttMs, offsetMs };
}

/** The sample with the smallest round trip (the first of equals), or null for none. */
export function bestSample(samples) {
  let best = null;
  for (const s of samples) if (s && (best === null || s.rttMs < best.rttMs)) best = s;
  return best;
}

/** The window after adding a sample: newest last, at most TIME_SYNC_WINDOW. */
export function addSample(samples, sample, windowSize = TIME_SYNC_WINDOW) {
  if (!sample) return samples;
  return [...samples, sample].slice(-windowSize);
}

/**
 * What a client reports and uses: the offset of the best sample, and the round trip of the
 * latest one (how the link is now). Both null before the first answer.
 * @returns {{ offsetMs: number | null, rttMs: number | null }}
 */
export function timeBaseOf(samples) {
  const best = bestSample(samples);
  const latest = samples.length ? samples[samples.length - 1] : null;
  return { offsetMs: best ? Math.round(best.offsetMs) : null, rttMs: latest ? Math.round(latest.rttMs) : null };
}

/** Server time at local time `localNowMs`; an unknown offset counts as 0 (the local clock is all there is). */
export function serverNowMs(localNowMs, offsetMs) {
  return localNowMs - (offsetMs ?? 0);
}

/** Local time at which the server's clock reads `serverMs`. */
export function localAtServerMs(serverMs, offsetMs) {
  return serverMs + (offsetMs ?? 0);
}

/**
 * Time left on a game clock at server time `serverMs`: a running clock counts down from
 * its anchor (a server time, see anchorAt in docs/protocol.md) and stops at zero. An
 * unparsable anchor counts as "now".
 */
export function clockRemainingAtServer(clock, serverMs) {
  if (!clock) return 0;
  if (!clock.running || !clock.anchorAt) return Math.max(0, clock.remainingMs);
  const anchor = Date.parse(clock.anchorAt);
  if (Number.isNaN(anchor)) return Math.max(0, clock.remainingMs);
  return Math.max(0, clock.remainingMs - Math.max(0, serverMs - anchor));
}

/** What a display shows at its local time `localNowMs` with its measured offset. */
export function clockShown(clock, localNowMs, offsetMs) {
  return clockRemainingAtServer(clock, serverNowMs(localNowMs, offsetMs));
}

/**
 * Waiting in tests and their harnesses: for a condition (until), for an event (nextEvent),
 * for a promise with a bound (withDeadline). sleep() is for pacing load and for holding a
 * fault for its duration, never for waiting on something that can be checked.
 * Plain Node (no vitest import): the benches use the fault harness too.
 */

/** Far above anything healthy on loopback; a hang fails the test with a message instead. */
export const WAIT_TIMEOUT_MS = 10_000;
/** How often until() looks again. */
const POLL_MS = 20;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `check` holds (looked at every POLL_MS); rejects naming `what` after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(POLL_MS);
  }
}

/** A socket, a socket.io Manager or a Node emitter (their typed signatures differ). */
interface Emitter {
  once(event: any, listener: any): unknown;
  off(event: any, listener: any): unknown;
}

/** The next `event` of a socket or emitter; rejects after `timeoutMs`. */
export function nextEvent<T>(emitter: Emitter, event: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** `work`, or a rejection with `message()` once `ms` have passed. */
export async function withDeadline<T>(work: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

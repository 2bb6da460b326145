/**
 * Reconnect delays: exponential growth with jitter, capped. Pure: the random source is a parameter.
 */
import { BACKOFF_BASE_MS, BACKOFF_FACTOR, BACKOFF_JITTER, BACKOFF_MAX_MS } from '../constants.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  factor: number;
  /** 0: no jitter; 0.5: the delay is uniformly between half and all of the exponential value. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: BACKOFF_BASE_MS,
  maxMs: BACKOFF_MAX_MS,
  factor: BACKOFF_FACTOR,
  jitter: BACKOFF_JITTER,
};

/** Delay before reconnect attempt `attempt` (1 = the first retry). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  // Cap the exponent before exponentiating: attempt 2000 must not become Infinity.
  const exponent = Math.min(n - 1, 64);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * Math.pow(policy.factor, exponent));
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}

/**
 * The ramp search of the load benches: the per-court rate is doubled from `start` until a
 * step misses the target (or `max` is reached), then bisected `bisections` times between
 * the last rate that held and the first that did not (half the first rate when none held).
 * The answer is the offered rate (events/s over all courts) of the best step that held.
 */
import { round } from './stats.js';
import type { PhaseResult } from './traffic.js';

export interface RampOptions {
  /** First per-court rate, events/s. */
  start: number;
  /** No doubling beyond this per-court rate. */
  max: number;
  bisections: number;
}

export interface RampOutcome {
  steps: PhaseResult[];
  /** Offered events/s (all courts) of the highest step that held; null when none did. */
  sustained: number | null;
  /** Per-court rate of that step. */
  sustainedPerCourt: number | null;
}

export async function rampSearch(
  step: (perCourt: number) => Promise<PhaseResult>,
  holds: (p: PhaseResult) => boolean,
  options: RampOptions,
): Promise<RampOutcome> {
  const outcome: RampOutcome = { steps: [], sustained: null, sustainedPerCourt: null };
  const run = async (perCourt: number) => {
    const result = await step(perCourt);
    outcome.steps.push(result);
    const ok = holds(result);
    if (ok && (outcome.sustained === null || result.offeredPerSecond > outcome.sustained)) {
      outcome.sustained = result.offeredPerSecond;
      outcome.sustainedPerCourt = perCourt;
    }
    return ok;
  };
  let passed = 0;
  let failed = 0;
  for (let perCourt = options.start; perCourt <= options.max; perCourt *= 2) {
    if (!(await run(perCourt))) {
      failed = perCourt;
      break;
    }
    passed = perCourt;
  }
  for (let i = 0; failed && i < options.bisections; i++) {
    const middle = passed ? round((passed + failed) / 2) : round(failed / 2, 2);
    if (middle === passed || middle === failed || middle <= 0) break;
    if (await run(middle)) passed = middle;
    else failed = middle;
  }
  return outcome;
}

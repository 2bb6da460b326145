/**
 * Crash points for fault tests: the server process killed with SIGKILL the n-th time a
 * commit reaches a named point (server/fault-hooks.ts). A test asks for one with
 * `crash: { point, after }` (server-process.ts), which starts the test entry
 * server-with-faults.ts with the point in its environment; production never reads it.
 */
import type { FaultHooks, FaultPoint } from '../../server/fault-hooks.js';

export { FAULT_POINTS as CRASH_POINTS, type FaultPoint as CrashPoint } from '../../server/fault-hooks.js';

export interface CrashAt {
  point: FaultPoint;
  /** Crash the n-th time the point is reached (default 1). */
  after?: number;
}

/** How the test process tells the server process (only server-with-faults.ts reads these). */
const POINT_ENV = 'SCOREDESK_CRASH_POINT';
const AFTER_ENV = 'SCOREDESK_CRASH_AFTER';

export function crashEnv(crash: CrashAt): Record<string, string> {
  return { [POINT_ENV]: crash.point, [AFTER_ENV]: String(crash.after ?? 1) };
}

export function crashFromEnv(env: NodeJS.ProcessEnv): CrashAt | null {
  const point = env[POINT_ENV] as FaultPoint | undefined;
  if (!point) return null;
  return { point, after: Math.max(1, Number(env[AFTER_ENV] ?? '1') || 1) };
}

/** Hooks that kill this process at `crash.point`, the `crash.after`-th time it is reached. */
export function crashHooks(crash: CrashAt): FaultHooks {
  let reached = 0;
  return {
    reached(point) {
      if (point !== crash.point) return;
      reached++;
      if (reached >= (crash.after ?? 1)) process.kill(process.pid, 'SIGKILL');
    },
  };
}

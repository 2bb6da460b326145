/**
 * TEST HOOK (fault injection, test/faults): lets a test kill the server with SIGKILL at
 * a named point of the commit/ack/broadcast pipeline, to prove what holds after a crash
 * exactly there. Inert unless SCOREDESK_CRASH_POINT is set; never set it in production.
 *
 * SCOREDESK_CRASH_POINT=<name>  the point to crash at
 * SCOREDESK_CRASH_AFTER=<n>     crash the n-th time the point is reached (default 1)
 */
export const CRASH_POINTS = ['before-commit', 'after-commit-before-ack', 'after-ack-before-broadcast'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

const armed = process.env.SCOREDESK_CRASH_POINT as CrashPoint | undefined;
const crashAfter = Math.max(1, Number(process.env.SCOREDESK_CRASH_AFTER ?? '1') || 1);
let reached = 0;

/** Call at a crash point; a no-op unless the environment armed exactly this point. */
export function crashPoint(name: CrashPoint): void {
  if (armed !== name) return;
  reached++;
  if (reached >= crashAfter) process.kill(process.pid, 'SIGKILL');
}

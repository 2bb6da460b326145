/**
 * The seam fault tests use: named moments of the commit pipeline where a hook is called.
 * Production passes no hooks (server/main.ts); the fault tests' server entry
 * (test/support/server-with-faults.ts) passes one that kills the process at a chosen
 * point, to prove what holds after a crash exactly there. Nothing here reads the
 * environment or acts by itself.
 */
export const FAULT_POINTS = ['before-commit', 'after-commit-before-ack', 'after-ack-before-broadcast'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export interface FaultHooks {
  /** Called each time a commit reaches `point` (server/ingest/group-commit.ts). */
  reached(point: FaultPoint): void;
}

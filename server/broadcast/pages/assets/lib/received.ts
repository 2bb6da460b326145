/**
 * What the pages take from the server is checked before anything is shown: snapshots,
 * updates and freshness against the schemas of shared/live-messages.ts (the ones the
 * NodeCG bundle checks with). Something that fails is refused by name and never rendered:
 * the page keeps showing the last good state.
 */
import type { z } from 'zod';
import { liveSnapshotSchema } from '../../../../../shared/live-messages.js';
import type { MatchSnapshot } from '../../../../../shared/match.js';
import { describeZodError } from '../../../../../shared/protocol.js';

/** Told of each refusal: what it was (message or URL) and why. */
export type OnRefused = (what: string, problem: string) => void;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` passes `schema`; a refusal is reported, never thrown. */
export function passes(schema: z.ZodType, value: unknown, what: string, onRefused: OnRefused): boolean {
  const result = schema.safeParse(value);
  if (!result.success) onRefused(what, describeZodError(result.error));
  return result.success;
}

/** The value as `schema` reads it, or null (reported) when it does not pass. */
export function parsed<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  onRefused: OnRefused,
): z.infer<S> | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  onRefused(what, describeZodError(result.error));
  return null;
}

/**
 * A snapshot from an HTTP answer, once it passed liveSnapshotSchema: the contract's
 * fields are checked, the sport details pass as sent (they are the fold's output; see
 * shared/live-messages.ts), so the value the server sent is the MatchSnapshot it is typed as.
 */
export function snapshotOf(value: unknown, what: string, onRefused: OnRefused): MatchSnapshot | null {
  return passes(liveSnapshotSchema, value, what, onRefused) ? (value as MatchSnapshot) : null;
}

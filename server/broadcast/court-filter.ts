/**
 * `?court=` of the feeds and the SSE stream: one court, a comma-separated list (`1,2`),
 * or the parameter repeated (`court=1&court=2`). Absent: every court.
 */
import { courtSchema } from '../../shared/match.js';
import { describeZodError } from '../../shared/protocol.js';

/** A venue's courts fit many times over; bounds the list a URL can make the server match. */
export const MAX_COURTS_PER_FILTER = 100;

export type CourtFilter = { ok: true; courts: string[] | undefined } | { ok: false; message: string };

/**
 * The courts asked for. Each name is trimmed and checked like a court of POST /api/matches;
 * an empty name (`1,,2`, a trailing comma) is refused. A court whose own name holds a comma
 * is still found by that whole name, which is kept beside the pieces.
 */
export function parseCourtFilter(value: unknown): CourtFilter {
  if (value === undefined) return { ok: true, courts: undefined };
  const values = Array.isArray(value) ? value : [value];
  const courts = new Set<string>();
  for (const raw of values) {
    if (typeof raw !== 'string') return { ok: false, message: 'court: a court name or a comma-separated list' };
    const pieces = raw.includes(',') ? raw.split(',') : [raw];
    for (const piece of pieces) {
      const parsed = courtSchema.safeParse(piece);
      if (!parsed.success) return { ok: false, message: `court: ${describeZodError(parsed.error)}` };
      courts.add(parsed.data);
    }
    if (pieces.length > 1) {
      const whole = courtSchema.safeParse(raw);
      if (whole.success) courts.add(whole.data);
    }
  }
  if (courts.size > MAX_COURTS_PER_FILTER)
    return { ok: false, message: `court: at most ${MAX_COURTS_PER_FILTER} courts in one request` };
  return { ok: true, courts: [...courts] };
}

/** Whether a match on `court` is in the filter (undefined: every court). */
export function courtMatches(courts: readonly string[] | undefined, court: string): boolean {
  return courts === undefined || courts.includes(court);
}

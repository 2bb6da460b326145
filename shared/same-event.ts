/**
 * Is a resent event the one already stored? Both the server (dedupe of a resend) and the
 * console (reconciling its log with the server's after a claim) must answer the same way.
 */
import type { MatchEvent } from './events.js';

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order, so compare canonically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same type, same console time, same payload (in any key order). */
export function sameEventContent(
  a: Pick<MatchEvent, 'type' | 'at' | 'payload'>,
  b: Pick<MatchEvent, 'type' | 'at' | 'payload'>,
): boolean {
  return a.type === b.type && a.at === b.at && canonicalJson(a.payload) === canonicalJson(b.payload);
}

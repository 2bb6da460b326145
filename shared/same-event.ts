/**
 * Is a resent event the one already stored? Both the server (dedupe of a resend) and the
 * console (reconciling its log with the server's after a claim) must answer the same way.
 *
 * Identity is canonical content, not bytes: a client that writes `at` with another offset
 * or precision, spells out a default, or orders keys differently resends the same event.
 * Anything else that differs under the same seq is a real conflict (CONFLICT).
 */
import type { EventType, MatchEvent } from './events.js';

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

/**
 * Payload fields whose omission means a fixed value (the fold reads `?? default`,
 * shared/domain/rules.ts): `{side: "home"}` and `{side: "home", points: 1}` are one event.
 * Only defaults that never depend on the match state belong here (PERIOD_START's
 * `period` means "the next one", which depends on where the match is: not a default).
 */
export const PAYLOAD_DEFAULTS: Partial<Record<EventType, Record<string, unknown>>> = {
  SCORE_UPDATE: { points: 1 },
  MATCH_START: { firstServer: 'home' },
};

/** The payload with its defaults filled in (a given value always wins). */
export function withDefaults(type: string, payload: unknown): unknown {
  const defaults = PAYLOAD_DEFAULTS[type as EventType];
  if (!defaults || !payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const filled: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    if (value !== undefined) filled[key] = value;
  }
  return filled;
}

/** An ISO 8601 time with seconds, optional fraction and an offset (what storableTime accepts). */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/**
 * The instant a time names, as text that is equal exactly when the instants are:
 * whole UTC seconds since the epoch, then the fraction without trailing zeros (kept as
 * digits: consoles may send microseconds, and PostgreSQL keeps them). A value that is not
 * such a time stays as written, so it only equals itself.
 */
export function canonicalInstant(at: string): string {
  const m = ISO_TIME.exec(at);
  if (!m) return at;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: years 1-99 are not shifted to 19xx.
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  const offsetMinutes = m[8] ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const seconds = (date.getTime() - offsetMinutes * 60_000) / 1000;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  return fraction ? `${seconds}.${fraction}` : String(seconds);
}

/** The canonical form of an event's content: what identity compares. */
export function canonicalEvent(event: Pick<MatchEvent, 'type' | 'at' | 'payload'>): string {
  return canonicalJson({
    type: event.type,
    at: canonicalInstant(event.at),
    payload: withDefaults(event.type, event.payload),
  });
}

/** Same type, same instant, same payload once defaults are filled in (in any key order). */
export function sameEventContent(
  a: Pick<MatchEvent, 'type' | 'at' | 'payload'>,
  b: Pick<MatchEvent, 'type' | 'at' | 'payload'>,
): boolean {
  return canonicalEvent(a) === canonicalEvent(b);
}

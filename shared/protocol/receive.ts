/**
 * For clients: checking what the server sent before trusting it (the console before it
 * writes SQLite, overlays before they render). A malformed message is refused whole, with a
 * message naming the field, so nothing half-checked is ever kept.
 */
import type { z } from 'zod';
import { describeZodError, type Fail } from './common.js';
import type { PullAck } from './down.js';

export type Received<T> = { ok: true; value: T } | { ok: false; message: string };

/** `raw` parsed with `schema`, or why it is malformed: "malformed match:pull ack from the server: events.0.seq: ...". */
export function receive<S extends z.ZodType>(schema: S, raw: unknown, what: string): Received<z.infer<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `malformed ${what} from the server: ${describeZodError(parsed.error)}` };
}

/**
 * A malformed reply as a refusal a client can hand on: `PROTOCOL`, since a server that sends
 * what the schemas refuse does not speak this client's protocol.
 */
export function malformedReply(message: string): Fail {
  return { ok: false, code: 'PROTOCOL', message };
}

/**
 * What the schema of one match:pull page cannot see: every event is of the match asked for,
 * after the cursor asked for (and the seq of the pages before), in increasing cursor and seq
 * order (protocol invariants 2 and 4), and the meta is that match's. Null when the page holds.
 */
export function pullPageProblem(
  asked: { matchId: string; after: number; afterSeq?: number },
  page: Extract<PullAck, { ok: true }>,
): string | null {
  if (page.meta.id !== asked.matchId) return `meta.id: ${page.meta.id} is not the match asked for (${asked.matchId})`;
  let cursor = asked.after;
  let seq = asked.afterSeq ?? 0;
  for (const [i, event] of page.events.entries()) {
    if (event.matchId !== asked.matchId) return `events.${i}.matchId: ${event.matchId} is not ${asked.matchId}`;
    if (event.cursor <= cursor) return `events.${i}.cursor: ${event.cursor} does not follow ${cursor}`;
    if (event.seq <= seq) return `events.${i}.seq: ${event.seq} does not follow ${seq}`;
    cursor = event.cursor;
    seq = event.seq;
  }
  return null;
}

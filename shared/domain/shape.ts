/**
 * A cheap structural guard for the fields the rules read. Boundaries validate events
 * with the zod schemas; this only keeps a fold of a damaged stored history from throwing
 * or producing NaN (a full schema parse per event would cost more than the fold itself).
 */
import { EVENT_TYPES, type Side } from '../events.js';
import type { FoldableEvent } from './types.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const TALLY_KINDS: ReadonlySet<string> = new Set(['timeout', 'card', 'foul', 'substitution', 'note']);
const CARD_COLOURS: ReadonlySet<string> = new Set(['yellow', 'red', 'black']);

const isSide = (v: unknown): v is Side => v === 'home' || v === 'away';
const optionalSide = (v: unknown) => v === undefined || isSide(v);
const isCount = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Why the event cannot be read, naming the field, or null when it can. */
export function malformed(e: FoldableEvent): string | null {
  const raw = e as unknown as { seq?: unknown; type?: unknown; payload?: unknown; at?: unknown };
  if (!isCount(raw.seq, 1, Number.MAX_SAFE_INTEGER)) return 'seq: not a positive integer';
  if (typeof raw.type !== 'string' || !KNOWN_TYPES.has(raw.type)) return 'type: unknown event type';
  if (typeof raw.at !== 'string') return 'at: not a time';
  const p = raw.payload as Record<string, unknown> | null | undefined;
  if (typeof p !== 'object' || p === null) return 'payload: not an object';
  switch (e.type) {
    case 'MATCH_START':
      return optionalSide(p.firstServer) ? null : 'payload.firstServer: not home or away';
    case 'MATCH_END':
      return optionalSide(p.winner) ? null : 'payload.winner: not home or away';
    case 'SCORE_UPDATE':
      if (!isSide(p.side)) return 'payload.side: not home or away';
      return p.points === undefined || isCount(p.points, 1, 3) ? null : 'payload.points: not 1, 2 or 3';
    case 'EVENT_ADDED':
      if (typeof p.kind !== 'string' || !TALLY_KINDS.has(p.kind)) return 'payload.kind: unknown kind';
      if (!optionalSide(p.side)) return 'payload.side: not home or away';
      return p.card === undefined || (typeof p.card === 'string' && CARD_COLOURS.has(p.card))
        ? null
        : 'payload.card: unknown colour';
    case 'CORRECTION':
      return isCount(p.undoes, 1, Number.MAX_SAFE_INTEGER) ? null : 'payload.undoes: not a positive integer';
    case 'CLOCK_START':
    case 'CLOCK_STOP':
    case 'CLOCK_SET':
      return isCount(p.remainingMs, 0, Number.MAX_SAFE_INTEGER) ? null : 'payload.remainingMs: not a duration';
    case 'PERIOD_START':
      return p.period === undefined || isCount(p.period, 1, 99) ? null : 'payload.period: not a period number';
    case 'MATCH_PAUSE':
    case 'MATCH_RESUME':
    case 'PERIOD_END':
      return null;
  }
}

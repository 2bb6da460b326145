/**
 * A cheap structural guard for the fields the rules read. Boundaries validate events
 * with the zod schemas; this only keeps a fold of a damaged stored history from throwing
 * or producing NaN (a full schema parse per event would cost more than the fold itself).
 */
import { EVENT_TYPES, MAX_OVERRIDE_POINTS, type Side } from '../events.js';
import type { FoldableEvent } from './types.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const TALLY_KINDS: ReadonlySet<string> = new Set(['timeout', 'card', 'foul', 'substitution', 'note']);
const CARD_COLOURS: ReadonlySet<string> = new Set(['yellow', 'red', 'black']);

const isSide = (v: unknown): v is Side => v === 'home' || v === 'away';
const optionalSide = (v: unknown) => v === undefined || isSide(v);
const isCount = (v: unknown, min: number, max: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const optionalName = (v: unknown) => v === undefined || typeof v === 'string';
const isPoints = (v: unknown) => isCount(v, 0, MAX_OVERRIDE_POINTS);

/** The serve choices of MATCH_START and PERIOD_START. */
function badChoices(p: Record<string, unknown>): string | null {
  if (!optionalSide(p.firstServer)) return 'payload.firstServer: not home or away';
  if (!optionalName(p.firstServerPlayer)) return 'payload.firstServerPlayer: not a name';
  if (!optionalName(p.firstReceiverPlayer)) return 'payload.firstReceiverPlayer: not a name';
  const order = p.serverOrder;
  if (order !== undefined && !(Array.isArray(order) && order.length === 4 && order.every((n) => typeof n === 'string')))
    return 'payload.serverOrder: not four names';
  return null;
}

function badOverride(p: Record<string, unknown>): string | null {
  if (typeof p.reason !== 'string') return 'payload.reason: not text';
  for (const side of ['home', 'away'] as const) {
    const v = p[side] as Record<string, unknown> | undefined;
    if (typeof v !== 'object' || v === null || !isPoints(v.points)) return `payload.${side}.points: not a count`;
    if (v.games !== undefined && !isPoints(v.games)) return `payload.${side}.games: not a count`;
  }
  if (!optionalSide(p.serving)) return 'payload.serving: not home or away';
  if (p.sets === undefined) return null;
  if (!Array.isArray(p.sets)) return 'payload.sets: not a list';
  for (const set of p.sets as unknown[]) {
    const v = set as Record<string, unknown> | null;
    if (typeof v !== 'object' || v === null || !isPoints(v.home) || !isPoints(v.away))
      return 'payload.sets: not scores';
    const tb = v.tiebreak as Record<string, unknown> | null | undefined;
    if (tb !== undefined && (typeof tb !== 'object' || tb === null || !isPoints(tb.home) || !isPoints(tb.away)))
      return 'payload.sets: tiebreak not scores';
  }
  return null;
}

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
      return badChoices(p);
    case 'MATCH_END':
      return optionalSide(p.winner) ? null : 'payload.winner: not home or away';
    case 'SCORE_UPDATE':
      if (!isSide(p.side)) return 'payload.side: not home or away';
      return p.points === undefined || isCount(p.points, 1, 3) ? null : 'payload.points: not 1, 2 or 3';
    case 'EVENT_ADDED':
      if (typeof p.kind !== 'string' || !TALLY_KINDS.has(p.kind)) return 'payload.kind: unknown kind';
      if (!optionalSide(p.side)) return 'payload.side: not home or away';
      if (!optionalName(p.player)) return 'payload.player: not a name';
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
      if (p.period !== undefined && !isCount(p.period, 1, 99)) return 'payload.period: not a period number';
      return badChoices(p);
    case 'SCORE_OVERRIDE':
      return badOverride(p);
    case 'MATCH_PAUSE':
    case 'MATCH_RESUME':
    case 'PERIOD_END':
      return null;
  }
}

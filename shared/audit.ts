/**
 * A match's audit trail (GET /api/matches/:id/audit, the court wall's audit view): every
 * stored event with who, which console and when (the console's `at` and the server's
 * stored time), what each correction undid and whether an event ends up cancelled, the
 * reason of an override, every change of writer (first push, claim, handover: the previous
 * writer is fenced from then on), pushes refused because their console was fenced, and
 * verification disagreements. Pure: the server reads the rows, this puts them together.
 */
import { z } from 'zod';

export const AUDIT_FORMATS = ['json', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
export const auditQuerySchema = z.object({ format: z.enum(AUDIT_FORMATS).optional() }).strict();

export const WRITER_CHANGE_KINDS = ['first-push', 'claim', 'handover'] as const;
export type WriterChangeKind = (typeof WRITER_CHANGE_KINDS)[number];
export const VERIFICATION_STATES = ['agree', 'disagree'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

/** Stored events as the server reads them, in cursor order. */
export interface AuditEventRow {
  cursor: number;
  seq: number;
  epoch: number;
  type: string;
  payload: Record<string, unknown>;
  consoleId: string;
  user: string | null;
  /** The console's own time for it (`at`): shown, never used for ordering. */
  consoleAt: string;
  /** Server time the event was stored (commit time). */
  storedAt: string;
}

/** One stored event as the audit shows it: its row, and what the fold made of it. */
export interface AuditEvent extends AuditEventRow {
  kind: 'event';
  /** A correction: the event it cancelled (or re-applied, for a correction of a correction). */
  undoes: { seq: number; type: string | null } | null;
  /** Whether a later correction cancels this event in the final state. */
  cancelled: boolean;
  /** An override's (or any event's) stated reason. */
  reason: string | null;
}

/** The match's writer changed; the previous writer is fenced from then on. */
export interface AuditWriterChange {
  kind: 'writer-change';
  storedAt: string;
  change: WriterChangeKind;
  epoch: number;
  consoleId: string | null;
  previousConsoleId: string | null;
  /** The console that lost the match (fenced), if any. */
  fencedConsoleId: string | null;
  /** The claiming console's user, or the director who handed over. */
  user: string | null;
}

/** A push refused because its console no longer held the match: kept on that console for review. */
export interface AuditFencedPush {
  kind: 'fenced-push';
  storedAt: string;
  consoleId: string | null;
  user: string | null;
  epoch: number;
  firstSeq: number;
  lastSeq: number;
  events: number;
}

/** The verify stream's comparison changed state (written once the verify stream exists). */
export interface AuditVerification {
  kind: 'verification';
  storedAt: string;
  state: VerificationState;
  detail: Record<string, unknown>;
}

export type AuditEntry = AuditEvent | AuditWriterChange | AuditFencedPush | AuditVerification;

export interface MatchAudit {
  match: { id: string; sport: string; court: string; home: string; away: string; status: string };
  generatedAt: string;
  entries: AuditEntry[];
}

export interface AuditSources {
  match: MatchAudit['match'];
  generatedAt: string;
  events: readonly AuditEventRow[];
  /** Seqs the fold counts as cancelled (the snapshot's cancelledSeqs). */
  cancelledSeqs: readonly number[];
  writerChanges: readonly Omit<AuditWriterChange, 'kind' | 'fencedConsoleId'>[];
  fencedPushes: readonly Omit<AuditFencedPush, 'kind'>[];
  verifications: readonly Omit<AuditVerification, 'kind'>[];
}

/** Where an entry sits among others stored in the same millisecond: what happened first first. */
const KIND_ORDER: Record<AuditEntry['kind'], number> = {
  'writer-change': 0,
  event: 1,
  'fenced-push': 2,
  verification: 3,
};

function undoTarget(payload: Record<string, unknown>): number | null {
  const undoes = payload.undoes;
  return typeof undoes === 'number' ? undoes : null;
}

/**
 * The trail in stored-time order (the server's clock; consoles' clocks never order
 * anything). Events keep their cursor order among themselves.
 */
export function assembleAudit(src: AuditSources): MatchAudit {
  const bySeq = new Map(src.events.map((e) => [e.seq, e]));
  const cancelled = new Set(src.cancelledSeqs);
  const events: AuditEntry[] = src.events.map((e) => {
    const target = e.type === 'CORRECTION' ? undoTarget(e.payload) : null;
    return {
      kind: 'event',
      ...e,
      undoes: target === null ? null : { seq: target, type: bySeq.get(target)?.type ?? null },
      cancelled: cancelled.has(e.seq),
      reason: typeof e.payload.reason === 'string' ? e.payload.reason : null,
    };
  });
  const others: AuditEntry[] = [
    ...src.writerChanges.map(
      (w): AuditWriterChange => ({
        kind: 'writer-change',
        ...w,
        fencedConsoleId:
          w.previousConsoleId !== null && w.previousConsoleId !== w.consoleId ? w.previousConsoleId : null,
      }),
    ),
    ...src.fencedPushes.map((f): AuditFencedPush => ({ kind: 'fenced-push', ...f })),
    ...src.verifications.map((v): AuditVerification => ({ kind: 'verification', ...v })),
  ];
  const time = (e: AuditEntry) => Date.parse(e.storedAt);
  others.sort((a, b) => time(a) - time(b) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  // Merge: events stay in cursor order; the others go in by stored time.
  const entries: AuditEntry[] = [];
  let i = 0;
  for (const event of events) {
    while (i < others.length) {
      const other = others[i]!;
      const before = time(other) - time(event) || KIND_ORDER[other.kind] - KIND_ORDER[event.kind];
      if (before >= 0) break;
      entries.push(other);
      i++;
    }
    entries.push(event);
  }
  entries.push(...others.slice(i));
  return { match: src.match, generatedAt: src.generatedAt, entries };
}

/** The CSV export's columns, one row per entry. */
export const AUDIT_CSV_COLUMNS = [
  'kind',
  'storedAt',
  'consoleAt',
  'cursor',
  'seq',
  'epoch',
  'type',
  'user',
  'consoleId',
  'previousConsoleId',
  'undoesSeq',
  'undoesType',
  'cancelled',
  'reason',
  'detail',
] as const;
export type AuditCsvColumn = (typeof AUDIT_CSV_COLUMNS)[number];

/** An entry as CSV cells (plain text; the writer quotes and neutralises them). */
export function auditCsvCells(entry: AuditEntry): Record<AuditCsvColumn, string> {
  const cells = Object.fromEntries(AUDIT_CSV_COLUMNS.map((c) => [c, ''])) as Record<AuditCsvColumn, string>;
  cells.kind = entry.kind;
  cells.storedAt = entry.storedAt;
  switch (entry.kind) {
    case 'event':
      cells.consoleAt = entry.consoleAt;
      cells.cursor = String(entry.cursor);
      cells.seq = String(entry.seq);
      cells.epoch = String(entry.epoch);
      cells.type = entry.type;
      cells.user = entry.user ?? '';
      cells.consoleId = entry.consoleId;
      cells.undoesSeq = entry.undoes ? String(entry.undoes.seq) : '';
      cells.undoesType = entry.undoes?.type ?? '';
      cells.cancelled = String(entry.cancelled);
      cells.reason = entry.reason ?? '';
      cells.detail = JSON.stringify(entry.payload);
      break;
    case 'writer-change':
      cells.epoch = String(entry.epoch);
      cells.type = entry.change;
      cells.user = entry.user ?? '';
      cells.consoleId = entry.consoleId ?? '';
      cells.previousConsoleId = entry.previousConsoleId ?? '';
      cells.detail = entry.fencedConsoleId ? `fenced ${entry.fencedConsoleId}` : '';
      break;
    case 'fenced-push':
      cells.seq = entry.firstSeq === entry.lastSeq ? String(entry.firstSeq) : `${entry.firstSeq}-${entry.lastSeq}`;
      cells.epoch = String(entry.epoch);
      cells.user = entry.user ?? '';
      cells.consoleId = entry.consoleId ?? '';
      cells.detail = `${entry.events} events refused: STALE_EPOCH`;
      break;
    case 'verification':
      cells.type = entry.state;
      cells.detail = JSON.stringify(entry.detail);
      break;
    default: {
      const never: never = entry;
      throw new Error(`unknown audit entry ${JSON.stringify(never)}`);
    }
  }
  return cells;
}

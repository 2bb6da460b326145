/**
 * The verdict after a fault run, once faults healed and outboxes drained: compares
 * every console's log, PostgreSQL and every recording viewer.
 * - zero events lost: every event a console holds (and every acked seq) is in PostgreSQL;
 * - zero stored twice: seqs 1..n per match without a hole or a repeat, cursors unique;
 * - nothing invented: every stored event is one a console recorded (type, payload, at, console);
 * - viewers: exactly PostgreSQL's events, in cursor order, none twice, cursors strictly
 *   increasing and baseCursor chaining (recorded live by RecordingViewer);
 * - identical snapshots: foldMatch over each source, plus the server's own snapshots
 *   (match_statistics, the last MATCH_UPDATE), compared as JSON.
 */
import type pg from 'pg';
import type { MatchEvent, StoredEvent } from '../../../shared/events.js';
import type { MatchMeta, MatchSnapshot } from '../../../shared/match.js';
import { foldMatch, type FoldableEvent } from '../../../shared/domain/index.js';
import type { RecordingViewer } from './viewer.js';

export interface ConsoleSource {
  name: string;
  consoleId: string;
  matchId: string;
  /** The console's own log, seq order, as it stored it. */
  events: Array<MatchEvent & { cursor?: number | null; epoch?: number | null }>;
  /** Highest seq the server acknowledged to this console (0: unknown). */
  ackedSeq?: number;
  /**
   * 'writer': everything it holds must be stored (it owned the match);
   * 'refused': a console the server refused (second writer): none of its events may be stored.
   */
  role: 'writer' | 'refused';
  /** A console that took the match over authored seqs from here on; earlier ones it pulled. */
  ownsFromSeq?: number;
}

export interface CheckInput {
  pool: pg.Pool;
  matchIds: string[];
  consoles: ConsoleSource[];
  viewers: RecordingViewer[];
}

export interface CheckReport {
  problems: string[];
  /** Events stored per match. */
  stored: Record<string, number>;
  snapshots: Record<string, MatchSnapshot>;
}

/** Upper bound of problems listed: one broken run must still give a readable message. */
const MAX_PROBLEMS = 40;

export async function storedEvents(pool: pg.Pool, matchId: string): Promise<StoredEvent[]> {
  const { rows } = await pool.query(
    `SELECT "cursor", match_id, seq, console_id, epoch, event_type, event_data,
            COALESCE(to_jsonb(e) ->> 'at_text', to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS at
     FROM match_events e WHERE match_id = $1 ORDER BY "cursor"`,
    [matchId],
  );
  return rows.map((r) => ({
    cursor: Number(r.cursor),
    matchId: r.match_id,
    seq: r.seq,
    consoleId: r.console_id,
    epoch: r.epoch,
    type: r.event_type,
    payload: r.event_data,
    at: r.at,
  })) as StoredEvent[];
}

export async function matchMeta(pool: pg.Pool, matchId: string): Promise<MatchMeta> {
  const { rows } = await pool.query(
    `SELECT id, sport, court, home_name, away_name, scheduled_at, slot_minutes, options FROM matches WHERE id = $1`,
    [matchId],
  );
  const r = rows[0];
  if (!r) throw new Error(`match ${matchId} not in PostgreSQL`);
  return {
    id: r.id,
    sport: r.sport,
    court: r.court,
    home: { name: r.home_name },
    away: { name: r.away_name },
    scheduledAt: r.scheduled_at ? new Date(r.scheduled_at).toISOString() : null,
    slotMinutes: r.slot_minutes,
    options: r.options ?? {},
  };
}

export async function checkConsistency(input: CheckInput): Promise<CheckReport> {
  const problems: string[] = [];
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };
  const report: CheckReport = { problems, stored: {}, snapshots: {} };
  for (const viewer of input.viewers) for (const v of viewer.violations) problem(`viewer wire: ${v}`);

  for (const matchId of input.matchIds) {
    const meta = await matchMeta(input.pool, matchId);
    const stored = await storedEvents(input.pool, matchId);
    report.stored[matchId] = stored.length;
    checkStorage(matchId, stored, problem);
    const bySeq = new Map(stored.map((e) => [e.seq, e]));
    const reference = foldMatch(meta, stored);
    report.snapshots[matchId] = reference;
    const referenceJson = JSON.stringify(reference);

    // Consoles: nothing lost, nothing refused stored, nothing invented.
    const owners = new Map<number, ConsoleSource>();
    for (const source of input.consoles.filter((c) => c.matchId === matchId)) {
      checkConsole(source, bySeq, problem);
      if (source.role === 'writer')
        for (const e of source.events) if (e.seq >= (source.ownsFromSeq ?? 1)) owners.set(e.seq, source);
      if (source.role === 'writer') {
        // A fenced console holds a prefix of the history: compare with the same prefix.
        const lastSeq = source.events.length;
        const expected =
          lastSeq === stored.length
            ? reference
            : foldMatch(
                meta,
                stored.filter((e) => e.seq <= lastSeq),
              );
        const folded = foldMatch(meta, withStoredIdentity(source, bySeq));
        if (JSON.stringify(folded) !== JSON.stringify(expected))
          problem(
            `${matchId}: snapshot folded from console ${source.name} differs from PostgreSQL's:\n${diff(folded, expected)}`,
          );
      }
    }
    for (const e of stored) {
      const owner = owners.get(e.seq);
      if (!owner) problem(`${matchId}: stored seq ${e.seq} (cursor ${e.cursor}) is held by no writing console`);
      else if (owner.consoleId !== e.consoleId)
        problem(`${matchId}: seq ${e.seq} stored as console ${e.consoleId}, recorded by ${owner.consoleId}`);
    }

    // The server's derived snapshot, written in the same transaction.
    const { rows } = await input.pool.query('SELECT snapshot FROM match_statistics WHERE match_id = $1', [matchId]);
    const statistics = rows[0]?.snapshot as MatchSnapshot | undefined;
    if (
      stored.length &&
      statistics &&
      JSON.stringify(normalizeKeys(statistics)) !== JSON.stringify(normalizeKeys(reference))
    )
      problem(
        `${matchId}: match_statistics.snapshot differs from the fold of match_events:\n${diff(statistics, reference)}`,
      );

    for (const viewer of input.viewers) {
      const record = viewer.matches.get(matchId);
      if (!record) continue;
      checkViewer(`${viewer.name} ${matchId}`, record.events, stored, problem);
      const folded = foldMatch(meta, record.events);
      if (JSON.stringify(folded) !== referenceJson)
        problem(
          `${viewer.name} ${matchId}: snapshot folded from the viewer's events differs:\n${diff(folded, reference)}`,
        );
      if (
        stored.length &&
        record.lastSnapshot &&
        JSON.stringify(normalizeKeys(record.lastSnapshot)) !== JSON.stringify(normalizeKeys(reference))
      )
        problem(
          `${viewer.name} ${matchId}: last MATCH_UPDATE snapshot differs:\n${diff(record.lastSnapshot, reference)}`,
        );
    }
  }
  return report;
}

function checkStorage(matchId: string, stored: StoredEvent[], problem: (t: string) => void): void {
  const seqs = stored.map((e) => e.seq).sort((a, b) => a - b);
  seqs.forEach((seq, i) => {
    if (seq !== i + 1)
      problem(`${matchId}: PostgreSQL seqs not 1..n: position ${i + 1} holds seq ${seq} (hole or repeat)`);
  });
  const cursors = new Set(stored.map((e) => e.cursor));
  if (cursors.size !== stored.length) problem(`${matchId}: a cursor is stored twice`);
  for (let i = 1; i < stored.length; i++)
    if (stored[i]!.seq < stored[i - 1]!.seq)
      problem(`${matchId}: cursor order disagrees with seq order at seq ${stored[i]!.seq}`);
}

function checkConsole(source: ConsoleSource, bySeq: Map<number, StoredEvent>, problem: (t: string) => void): void {
  const where = `${source.name} ${source.matchId}`;
  source.events.forEach((e, i) => {
    if (e.seq !== i + 1) problem(`${where}: console log seq ${e.seq} at position ${i + 1} (seq reused or skipped)`);
  });
  if (source.role === 'refused') {
    for (const e of bySeq.values())
      if (e.consoleId === source.consoleId) problem(`${where}: refused console's seq ${e.seq} was stored`);
    return;
  }
  for (const e of source.events) {
    const s = bySeq.get(e.seq);
    if (!s) {
      problem(`${where}: seq ${e.seq} lost (in the console, not in PostgreSQL)`);
      continue;
    }
    if (
      s.type !== e.type ||
      JSON.stringify(s.payload) !== JSON.stringify(e.payload) ||
      Date.parse(s.at) !== Date.parse(e.at)
    )
      problem(`${where}: seq ${e.seq} stored differently: ${JSON.stringify(s)} vs ${JSON.stringify(e)}`);
    if (e.cursor != null && e.cursor !== s.cursor)
      problem(`${where}: seq ${e.seq} has cursor ${e.cursor}, stored ${s.cursor}`);
  }
  for (let seq = 1; seq <= (source.ackedSeq ?? 0); seq++)
    if (!bySeq.has(seq)) problem(`${where}: acknowledged seq ${seq} is not in PostgreSQL`);
}

function checkViewer(where: string, seen: StoredEvent[], stored: StoredEvent[], problem: (t: string) => void): void {
  const storedByCursor = new Map(stored.map((e) => [e.cursor, e]));
  const seenCursors = new Set<number>();
  for (const e of seen) {
    if (seenCursors.has(e.cursor)) problem(`${where}: cursor ${e.cursor} received twice`);
    seenCursors.add(e.cursor);
    const s = storedByCursor.get(e.cursor);
    if (!s) problem(`${where}: received cursor ${e.cursor} (seq ${e.seq}) that is not stored`);
    else if (s.seq !== e.seq || s.type !== e.type) problem(`${where}: cursor ${e.cursor} differs from storage`);
  }
  for (const s of stored) if (!seenCursors.has(s.cursor)) problem(`${where}: missed cursor ${s.cursor} (seq ${s.seq})`);
}

/**
 * A console's log may not carry the server's cursor and epoch (a raw console learns
 * only ackedSeq). The fold over it takes those two identity fields from storage, by
 * seq; everything that decides the score (type, payload, at, order) is the console's own.
 */
function withStoredIdentity(source: ConsoleSource, bySeq: Map<number, StoredEvent>): FoldableEvent[] {
  return source.events.map((e) => {
    const s = bySeq.get(e.seq);
    const { cursor, epoch, ...event } = e;
    return { ...event, cursor: cursor ?? s?.cursor, epoch: epoch ?? s?.epoch } as FoldableEvent;
  });
}

/** JSONB reorders object keys: compare with keys sorted. */
function normalizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalizeKeys(v)]),
    );
  return value;
}

function diff(a: unknown, b: unknown): string {
  const x = normalizeKeys(a) as Record<string, unknown>;
  const y = normalizeKeys(b) as Record<string, unknown>;
  const keys = new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})]);
  const lines: string[] = [];
  for (const k of keys)
    if (JSON.stringify(x?.[k]) !== JSON.stringify(y?.[k]))
      lines.push(`  ${k}: ${JSON.stringify(x?.[k])} vs ${JSON.stringify(y?.[k])}`);
  return lines.join('\n');
}

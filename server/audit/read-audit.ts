/**
 * Reads a match's audit trail from PostgreSQL: match_events (who: users, which console,
 * the console's `at` and stored_at), match_writer_changes, match_fenced_pushes and
 * match_verification_changes; shared/audit.ts puts them together.
 */
import type pg from 'pg';
import { assembleAudit, type MatchAudit } from '../../shared/audit.js';
import { getSnapshot } from '../store/matches.js';

const iso = (d: Date) => d.toISOString();

export async function readMatchAudit(db: pg.Pool, matchId: string): Promise<MatchAudit | null> {
  const snapshot = await getSnapshot(db, matchId);
  if (!snapshot) return null;
  const [events, writers, fenced, verifications] = await Promise.all([
    db.query<{
      cursor: string;
      seq: number;
      epoch: number;
      event_type: string;
      event_data: Record<string, unknown>;
      console_id: string;
      username: string | null;
      at_text: string;
      stored_at: Date;
    }>(
      `SELECT e."cursor", e.seq, e.epoch, e.event_type, e.event_data, e.console_id, u.username, e.at_text, e.stored_at
       FROM match_events e LEFT JOIN users u ON u.id = e.user_id
       WHERE e.match_id = $1 ORDER BY e."cursor"`,
      [matchId],
    ),
    db.query<{
      epoch: number;
      kind: 'first-push' | 'claim' | 'handover';
      console_id: string | null;
      previous_console_id: string | null;
      username: string | null;
      changed_at: Date;
    }>(
      `SELECT w.epoch, w.kind, w.console_id, w.previous_console_id, u.username, w.changed_at
       FROM match_writer_changes w LEFT JOIN users u ON u.id = w.user_id WHERE w.match_id = $1 ORDER BY w.id`,
      [matchId],
    ),
    db.query<{
      console_id: string | null;
      username: string | null;
      epoch: number;
      first_seq: number;
      last_seq: number;
      events: number;
      refused_at: Date;
    }>(
      `SELECT f.console_id, u.username, f.epoch, f.first_seq, f.last_seq, f.events, f.refused_at
       FROM match_fenced_pushes f LEFT JOIN users u ON u.id = f.user_id WHERE f.match_id = $1 ORDER BY f.id`,
      [matchId],
    ),
    db.query<{ state: 'agree' | 'disagree'; detail: Record<string, unknown>; changed_at: Date }>(
      'SELECT state, detail, changed_at FROM match_verification_changes WHERE match_id = $1 ORDER BY id',
      [matchId],
    ),
  ]);
  return assembleAudit({
    match: {
      id: snapshot.id,
      sport: snapshot.sport,
      court: snapshot.court,
      home: snapshot.home.name,
      away: snapshot.away.name,
      status: snapshot.status,
    },
    generatedAt: new Date().toISOString(),
    events: events.rows.map((r) => ({
      cursor: Number(r.cursor),
      seq: r.seq,
      epoch: r.epoch,
      type: r.event_type,
      payload: r.event_data,
      consoleId: r.console_id,
      user: r.username,
      consoleAt: r.at_text,
      storedAt: iso(r.stored_at),
    })),
    cancelledSeqs: snapshot.cancelledSeqs ?? [],
    writerChanges: writers.rows.map((r) => ({
      storedAt: iso(r.changed_at),
      change: r.kind,
      epoch: r.epoch,
      consoleId: r.console_id,
      previousConsoleId: r.previous_console_id,
      user: r.username,
    })),
    fencedPushes: fenced.rows.map((r) => ({
      storedAt: iso(r.refused_at),
      consoleId: r.console_id,
      user: r.username,
      epoch: r.epoch,
      firstSeq: r.first_seq,
      lastSeq: r.last_seq,
      events: r.events,
    })),
    verifications: verifications.rows.map((r) => ({ storedAt: iso(r.changed_at), state: r.state, detail: r.detail })),
  });
}

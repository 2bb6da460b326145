/**
 * One flush: every event of the closed window(s) in ONE transaction. Locks the
 * matches, re-checks epoch, writer and seq chain against PostgreSQL (memory is only a
 * cache), takes a block of cursors from the event_cursor row (which serializes writers
 * across processes, so cursors are gapless in commit order), inserts all events with
 * one multi-row INSERT and updates match_statistics for each match.
 */
import type pg from 'pg';
import type { MatchEvent, StoredEvent } from '../../shared/events.js';
import type { MatchSnapshot } from '../../shared/match.js';
import type { MatchState } from './match-state.js';

export interface BatchItem {
  state: MatchState;
  consoleId: string;
  userId: number | null;
  epoch: number;
  events: MatchEvent[];
  /** performance.now() when the push arrived: database lag = commit - receive. */
  receivedAt: number;
}

export interface MatchGroup {
  matchId: string;
  state: MatchState;
  items: BatchItem[];
  snapshot: MatchSnapshot;
}

export interface CommittedMatch {
  matchId: string;
  court: string;
  epoch: number;
  writerConsoleId: string | null;
  events: StoredEvent[];
  snapshot: MatchSnapshot;
  lastEventAt: string;
  storedAt: string;
}

export interface FlushResult {
  committed: { group: MatchGroup; match: CommittedMatch }[];
  /** Groups whose memory disagreed with PostgreSQL: nothing of them was written. */
  excluded: MatchGroup[];
}

interface LockedRow {
  id: string;
  epoch: number;
  writer_console_id: string | null;
  last_seq: number;
}

function chainMatches(group: MatchGroup, row: LockedRow | undefined): boolean {
  if (!row) return false;
  let expected = row.last_seq + 1;
  for (const item of group.items) {
    if (item.epoch !== row.epoch || item.consoleId !== row.writer_console_id) return false;
    for (const event of item.events) {
      if (event.seq !== expected) return false;
      expected++;
    }
  }
  return true;
}

export async function writeBatch(client: pg.PoolClient, groups: MatchGroup[]): Promise<FlushResult> {
  const ids = groups.map((g) => g.matchId).sort();
  const { rows } = await client.query<LockedRow>(
    `SELECT m.id, m.epoch, m.writer_console_id, s.last_seq
     FROM matches m JOIN match_statistics s ON s.match_id = m.id
     WHERE m.id = ANY($1) ORDER BY m.id FOR UPDATE OF m, s`,
    [ids],
  );
  const locked = new Map(rows.map((r) => [r.id, r]));
  const ok: MatchGroup[] = [];
  const excluded: MatchGroup[] = [];
  for (const group of groups) (chainMatches(group, locked.get(group.matchId)) ? ok : excluded).push(group);
  const total = ok.reduce((n, g) => n + g.items.reduce((m, i) => m + i.events.length, 0), 0);
  if (total === 0) return { committed: [], excluded };

  const { rows: cursorRows } = await client.query<{ value: number }>(
    'UPDATE event_cursor SET value = value + $1 RETURNING value',
    [total],
  );
  let cursor = cursorRows[0]!.value - total;
  const storedAt = new Date().toISOString();

  const col = {
    cursor: [] as number[],
    matchId: [] as string[],
    seq: [] as number[],
    consoleId: [] as string[],
    epoch: [] as number[],
    type: [] as string[],
    data: [] as string[],
    userId: [] as (number | null)[],
    at: [] as string[],
  };
  const committed: FlushResult['committed'] = [];
  for (const group of ok) {
    const stored: StoredEvent[] = [];
    for (const item of group.items) {
      for (const event of item.events) {
        cursor++;
        col.cursor.push(cursor);
        col.matchId.push(group.matchId);
        col.seq.push(event.seq);
        col.consoleId.push(item.consoleId);
        col.epoch.push(item.epoch);
        col.type.push(event.type);
        col.data.push(JSON.stringify(event.payload));
        col.userId.push(item.userId);
        col.at.push(event.at);
        stored.push({ ...event, cursor, matchId: group.matchId, consoleId: item.consoleId, epoch: item.epoch });
      }
    }
    const last = stored[stored.length - 1]!;
    const row = locked.get(group.matchId)!;
    const snapshot: MatchSnapshot = { ...group.snapshot, cursor: last.cursor, epoch: row.epoch };
    committed.push({
      group,
      match: {
        matchId: group.matchId,
        court: group.state.court,
        epoch: row.epoch,
        writerConsoleId: row.writer_console_id,
        events: stored,
        snapshot,
        lastEventAt: last.at,
        storedAt,
      },
    });
  }

  await client.query(
    `INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, user_id, "timestamp", at_text)
     SELECT u.c, u.m, u.s, u.con, u.e, u.t, u.d::jsonb, u.usr, u.a::timestamptz, u.a
     FROM unnest($1::bigint[], $2::text[], $3::int[], $4::uuid[], $5::int[], $6::text[], $7::text[], $8::int[], $9::text[])
       AS u(c, m, s, con, e, t, d, usr, a)`,
    [col.cursor, col.matchId, col.seq, col.consoleId, col.epoch, col.type, col.data, col.userId, col.at],
  );

  const s = committed.map((c) => c.match);
  await client.query(
    `UPDATE match_statistics st SET
       status = u.status, home_score = u.home, away_score = u.away, event_count = st.event_count + u.n,
       last_seq = u.last_seq, last_cursor = u.last_cursor, last_event_at = u.last_at::timestamptz,
       snapshot = u.snap::jsonb, updated_at = $10::timestamptz
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::text[], $9::text[])
       AS u(match_id, status, home, away, n, last_seq, last_cursor, last_at, snap)
     WHERE st.match_id = u.match_id`,
    [
      s.map((m) => m.matchId),
      s.map((m) => m.snapshot.status),
      s.map((m) => m.snapshot.home.score),
      s.map((m) => m.snapshot.away.score),
      s.map((m) => m.events.length),
      s.map((m) => m.events[m.events.length - 1]!.seq),
      s.map((m) => m.snapshot.cursor),
      s.map((m) => m.lastEventAt),
      s.map((m) => JSON.stringify(m.snapshot)),
      storedAt,
    ],
  );
  return { committed, excluded };
}

/**
 * One group commit: every event of the commit in ONE statement, the migration's
 * scoredesk_commit_batch (one round trip, one transaction). It locks the matches,
 * re-checks epoch, writer and seq chain against PostgreSQL (memory is only a cache),
 * takes a block of cursors from the event_cursor row (which serialises writers across
 * processes, so cursors are gapless in commit order), inserts all events and updates
 * match_statistics. Groups that disagree with storage come back excluded, unwritten.
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
  /** Cursor of the match's last event before this commit (0: none): the update's baseCursor. */
  previousCursor: number;
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

interface CommitRow {
  o_match: string;
  o_written: boolean;
  o_epoch: number | null;
  o_writer: string | null;
  o_previous_cursor: string | null;
  o_first_cursor: string | null;
}

/** A group whose items disagree among themselves (writer or epoch changed mid-queue) cannot be one chain. */
function coherent(group: MatchGroup): boolean {
  const first = group.items[0]!;
  let expected = first.events[0]!.seq;
  for (const item of group.items) {
    if (item.epoch !== first.epoch || item.consoleId !== first.consoleId) return false;
    for (const event of item.events) if (event.seq !== expected++) return false;
  }
  return true;
}

export async function writeBatch(db: pg.Pool | pg.PoolClient, groups: MatchGroup[]): Promise<FlushResult> {
  const excluded: MatchGroup[] = groups.filter((g) => !coherent(g));
  const candidates = groups.filter((g) => coherent(g));
  if (candidates.length === 0) return { committed: [], excluded };
  const storedAt = new Date().toISOString();

  // One record per group and per event (migration 1764300000003: json_to_recordset).
  const groupRows: object[] = [];
  const eventRows: object[] = [];
  candidates.forEach((group, index) => {
    const first = group.items[0]!;
    let offset = 0;
    let lastAt = '';
    for (const item of group.items) {
      for (const event of item.events) {
        eventRows.push({
          g: index + 1,
          o: offset++,
          match: group.matchId,
          writer: first.consoleId,
          epoch: first.epoch,
          seq: event.seq,
          type: event.type,
          data: event.payload,
          user_id: item.userId,
          at: event.at,
        });
        lastAt = event.at;
      }
    }
    groupRows.push({
      i: index + 1,
      match: group.matchId,
      epoch: first.epoch,
      writer: first.consoleId,
      first_seq: first.events[0]!.seq,
      n: offset,
      status: group.snapshot.status,
      home: group.snapshot.home.score,
      away: group.snapshot.away.score,
      last_at: lastAt,
      snapshot: group.snapshot,
    });
  });

  const { rows } = await db.query<CommitRow>(
    'SELECT * FROM scoredesk_commit_batch($1::json, $2::json, $3::timestamptz)',
    [JSON.stringify(groupRows), JSON.stringify(eventRows), storedAt],
  );

  const committed: FlushResult['committed'] = [];
  const byMatch = new Map(rows.map((row) => [row.o_match, row]));
  for (const group of candidates) {
    const row = byMatch.get(group.matchId);
    if (!row?.o_written) {
      excluded.push(group);
      continue;
    }
    let cursor = Number(row.o_first_cursor);
    const stored: StoredEvent[] = [];
    for (const item of group.items)
      for (const event of item.events)
        stored.push({
          ...event,
          cursor: cursor++,
          matchId: group.matchId,
          consoleId: item.consoleId,
          epoch: item.epoch,
        });
    const last = stored[stored.length - 1]!;
    const epoch = row.o_epoch!;
    committed.push({
      group,
      match: {
        matchId: group.matchId,
        court: group.state.court,
        epoch,
        writerConsoleId: row.o_writer,
        previousCursor: Number(row.o_previous_cursor ?? 0),
        events: stored,
        snapshot: { ...group.snapshot, cursor: last.cursor, epoch },
        lastEventAt: last.at,
        storedAt,
      },
    });
  }
  return { committed, excluded };
}

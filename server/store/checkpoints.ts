/**
 * Snapshot checkpoints of a match (migration 1764300000019): written by the commit
 * (scoredesk_commit_batch) in the transaction of the events they describe, read by long
 * catch-ups so they page between checkpoints instead of replaying the whole match.
 */
import type pg from 'pg';
import type { MatchSnapshot } from '../../shared/match.js';
import { LIMITS } from '../../shared/protocol.js';

/**
 * The commit stores a checkpoint when a match crosses a multiple of this many events (at
 * the commit's last cursor, so one lands up to a commit's events past the multiple). Kept
 * at MAX_PAGE_EVENTS - MAX_EVENTS_PER_PUSH so two neighbouring checkpoints of a match
 * committed a push at a time are at most one catch-up page apart: each page of a long
 * catch-up ends at a checkpoint and needs no fold. The SQL function has the same number
 * (checkpoint_events); the checkpoints test asserts they agree.
 */
export const CHECKPOINT_EVENTS = LIMITS.MAX_PAGE_EVENTS - LIMITS.MAX_EVENTS_PER_PUSH;

export interface SnapshotCheckpoint {
  cursor: number;
  seq: number;
  snapshot: MatchSnapshot;
}

/** The checkpoints of a match with after < cursor < before, ascending (a catch-up reads at most one per page). */
export async function readCheckpoints(
  db: pg.Pool | pg.PoolClient,
  matchId: string,
  after: number,
  before: number,
): Promise<SnapshotCheckpoint[]> {
  const { rows } = await db.query<{ cursor: string; seq: number; snapshot: MatchSnapshot }>(
    `SELECT "cursor", seq, snapshot FROM match_snapshot_checkpoints
     WHERE match_id = $1 AND "cursor" > $2 AND "cursor" < $3 ORDER BY "cursor"`,
    [matchId, after, before],
  );
  return rows.map((r) => ({ cursor: Number(r.cursor), seq: r.seq, snapshot: r.snapshot }));
}

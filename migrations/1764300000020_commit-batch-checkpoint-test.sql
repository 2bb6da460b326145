-- Up Migration

-- scoredesk_commit_batch of 1764300000019_snapshot-checkpoints.sql, with the checkpoint test
-- made in the first loop, where each match's statistics row is read under its lock: a commit
-- that crosses no multiple of checkpoint_events (almost every commit) no longer parses every
-- group's snapshot into jsonb a second time and joins match_statistics again for nothing.
-- Same rows written, same answer (issue 18: PostgreSQL shares the machine's two cores).
CREATE OR REPLACE FUNCTION scoredesk_commit_batch(p_groups json, p_events json, p_stored_at timestamptz)
RETURNS TABLE (o_match text, o_written boolean, o_epoch integer, o_writer uuid, o_previous_cursor bigint, o_first_cursor bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := json_array_length(p_groups);
  ok boolean[] := array_fill(false, ARRAY[n]);
  found_row boolean[] := array_fill(false, ARRAY[n]);
  epochs integer[] := array_fill(0, ARRAY[n]);
  prevs bigint[] := array_fill(0::bigint, ARRAY[n]);
  firsts bigint[] := array_fill(0::bigint, ARRAY[n]);
  counts integer[] := array_fill(0, ARRAY[n]);
  -- Whether the group's commit crosses a multiple of checkpoint_events (read under the lock).
  checkpoint boolean[] := array_fill(false, ARRAY[n]);
  any_checkpoint boolean := false;
  total bigint := 0;
  next_cursor bigint;
  -- CHECKPOINT_EVENTS in server/store/checkpoints.ts (why this value: there).
  checkpoint_events CONSTANT integer := 500;
  r record;
BEGIN
  FOR r IN
    SELECT g.i, g.epoch AS want_epoch, g.writer AS want_writer, g.first_seq, g.n,
           m.epoch, m.writer_console_id, s.last_seq, s.last_cursor, s.event_count
    FROM json_to_recordset(p_groups) AS g(i integer, match text, epoch integer, writer uuid, first_seq integer, n integer)
    JOIN matches m ON m.id = g.match
    JOIN match_statistics s ON s.match_id = m.id
    ORDER BY m.id
    FOR UPDATE OF m, s
  LOOP
    found_row[r.i] := true;
    epochs[r.i] := r.epoch;
    prevs[r.i] := r.last_cursor;
    counts[r.i] := r.n;
    IF r.epoch = r.want_epoch AND r.writer_console_id = r.want_writer AND r.last_seq + 1 = r.first_seq THEN
      ok[r.i] := true;
      total := total + r.n;
      IF (r.event_count + r.n) / checkpoint_events > r.event_count / checkpoint_events THEN
        checkpoint[r.i] := true;
        any_checkpoint := true;
      END IF;
    END IF;
  END LOOP;

  IF total > 0 THEN
    UPDATE event_cursor SET value = value + total RETURNING value - total INTO next_cursor;
    FOR i IN 1..n LOOP
      IF ok[i] THEN
        firsts[i] := next_cursor + 1;
        next_cursor := next_cursor + counts[i];
      END IF;
    END LOOP;

    INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, user_id, "timestamp", at_text)
    SELECT firsts[u.g] + u.o, u.match, u.seq, u.writer, u.epoch, u.type, u.data, u.user_id, u.at::timestamptz, u.at
    FROM json_to_recordset(p_events)
      AS u(g integer, o integer, match text, writer uuid, epoch integer, seq integer, type text, data jsonb, user_id integer, at text)
    WHERE ok[u.g];

    -- A checkpoint when this commit makes the match cross a multiple of checkpoint_events:
    -- the snapshot as of its last cursor, in the same transaction as the events (never one
    -- for events not committed). Most commits cross none: then the groups are not read again.
    IF any_checkpoint THEN
      INSERT INTO match_snapshot_checkpoints (match_id, "cursor", seq, snapshot)
      SELECT g.match, firsts[g.i] + g.n - 1, g.first_seq + g.n - 1,
             g.snapshot || jsonb_build_object('cursor', firsts[g.i] + g.n - 1, 'epoch', epochs[g.i])
      FROM json_to_recordset(p_groups) AS g(i integer, match text, first_seq integer, n integer, snapshot jsonb)
      WHERE ok[g.i] AND checkpoint[g.i]
      ON CONFLICT DO NOTHING;
    END IF;

    UPDATE match_statistics st SET
      status = g.status, home_score = g.home, away_score = g.away,
      event_count = st.event_count + g.n,
      last_seq = g.first_seq + g.n - 1,
      last_cursor = firsts[g.i] + g.n - 1,
      last_event_at = g.last_at::timestamptz,
      snapshot = g.snapshot || jsonb_build_object('cursor', firsts[g.i] + g.n - 1, 'epoch', epochs[g.i]),
      updated_at = p_stored_at
    FROM json_to_recordset(p_groups)
      AS g(i integer, match text, first_seq integer, n integer, status text, home integer, away integer, last_at text, snapshot jsonb)
    WHERE ok[g.i] AND st.match_id = g.match;
  END IF;

  RETURN QUERY
    SELECT g.match, ok[g.i], CASE WHEN found_row[g.i] THEN epochs[g.i] END, m.writer_console_id,
           prevs[g.i], CASE WHEN ok[g.i] THEN firsts[g.i] END
    FROM json_to_recordset(p_groups) AS g(i integer, match text)
    LEFT JOIN matches m ON m.id = g.match
    ORDER BY g.i;
END
$$;


-- Down Migration
CREATE OR REPLACE FUNCTION scoredesk_commit_batch(p_groups json, p_events json, p_stored_at timestamptz)
RETURNS TABLE (o_match text, o_written boolean, o_epoch integer, o_writer uuid, o_previous_cursor bigint, o_first_cursor bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := json_array_length(p_groups);
  ok boolean[] := array_fill(false, ARRAY[n]);
  found_row boolean[] := array_fill(false, ARRAY[n]);
  epochs integer[] := array_fill(0, ARRAY[n]);
  prevs bigint[] := array_fill(0::bigint, ARRAY[n]);
  firsts bigint[] := array_fill(0::bigint, ARRAY[n]);
  counts integer[] := array_fill(0, ARRAY[n]);
  total bigint := 0;
  next_cursor bigint;
  -- CHECKPOINT_EVENTS in server/store/checkpoints.ts (why this value: there).
  checkpoint_events CONSTANT integer := 500;
  r record;
BEGIN
  FOR r IN
    SELECT g.i, g.epoch AS want_epoch, g.writer AS want_writer, g.first_seq, g.n,
           m.epoch, m.writer_console_id, s.last_seq, s.last_cursor
    FROM json_to_recordset(p_groups) AS g(i integer, match text, epoch integer, writer uuid, first_seq integer, n integer)
    JOIN matches m ON m.id = g.match
    JOIN match_statistics s ON s.match_id = m.id
    ORDER BY m.id
    FOR UPDATE OF m, s
  LOOP
    found_row[r.i] := true;
    epochs[r.i] := r.epoch;
    prevs[r.i] := r.last_cursor;
    counts[r.i] := r.n;
    IF r.epoch = r.want_epoch AND r.writer_console_id = r.want_writer AND r.last_seq + 1 = r.first_seq THEN
      ok[r.i] := true;
      total := total + r.n;
    END IF;
  END LOOP;

  IF total > 0 THEN
    UPDATE event_cursor SET value = value + total RETURNING value - total INTO next_cursor;
    FOR i IN 1..n LOOP
      IF ok[i] THEN
        firsts[i] := next_cursor + 1;
        next_cursor := next_cursor + counts[i];
      END IF;
    END LOOP;

    INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, user_id, "timestamp", at_text)
    SELECT firsts[u.g] + u.o, u.match, u.seq, u.writer, u.epoch, u.type, u.data, u.user_id, u.at::timestamptz, u.at
    FROM json_to_recordset(p_events)
      AS u(g integer, o integer, match text, writer uuid, epoch integer, seq integer, type text, data jsonb, user_id integer, at text)
    WHERE ok[u.g];

    -- A checkpoint when this commit makes the match cross a multiple of checkpoint_events:
    -- the snapshot as of its last cursor, in the same transaction as the events (never one
    -- for events not committed). Read before the statistics' event_count moves below.
    INSERT INTO match_snapshot_checkpoints (match_id, "cursor", seq, snapshot)
    SELECT g.match, firsts[g.i] + g.n - 1, g.first_seq + g.n - 1,
           g.snapshot || jsonb_build_object('cursor', firsts[g.i] + g.n - 1, 'epoch', epochs[g.i])
    FROM json_to_recordset(p_groups) AS g(i integer, match text, first_seq integer, n integer, snapshot jsonb)
    JOIN match_statistics st ON st.match_id = g.match
    WHERE ok[g.i] AND (st.event_count + g.n) / checkpoint_events > st.event_count / checkpoint_events
    ON CONFLICT DO NOTHING;

    UPDATE match_statistics st SET
      status = g.status, home_score = g.home, away_score = g.away,
      event_count = st.event_count + g.n,
      last_seq = g.first_seq + g.n - 1,
      last_cursor = firsts[g.i] + g.n - 1,
      last_event_at = g.last_at::timestamptz,
      snapshot = g.snapshot || jsonb_build_object('cursor', firsts[g.i] + g.n - 1, 'epoch', epochs[g.i]),
      updated_at = p_stored_at
    FROM json_to_recordset(p_groups)
      AS g(i integer, match text, first_seq integer, n integer, status text, home integer, away integer, last_at text, snapshot jsonb)
    WHERE ok[g.i] AND st.match_id = g.match;
  END IF;

  RETURN QUERY
    SELECT g.match, ok[g.i], CASE WHEN found_row[g.i] THEN epochs[g.i] END, m.writer_console_id,
           prevs[g.i], CASE WHEN ok[g.i] THEN firsts[g.i] END
    FROM json_to_recordset(p_groups) AS g(i integer, match text)
    LEFT JOIN matches m ON m.id = g.match
    ORDER BY g.i;
END
$$;

-- Up Migration
-- Group commit in ONE statement (one round trip, one fsync): lock the batch's matches,
-- check each group's epoch, writer and seq chain against what is stored (memory is only
-- a cache), take one gapless block of cursors from event_cursor (its row lock serialises
-- writers across processes, so cursors increase in commit order), insert every event of
-- the groups that passed and update their statistics. Groups that disagree with storage
-- are reported (o_written = false) and nothing of them is written.
-- Groups: g_* arrays, one element per match, in the order cursors are handed out.
-- Events: e_* arrays, grouped in that same order; e_group is the 1-based group index.
CREATE OR REPLACE FUNCTION scoredesk_commit_batch(
  g_match text[], g_epoch integer[], g_writer uuid[], g_first_seq integer[], g_count integer[],
  g_status text[], g_home integer[], g_away integer[], g_last_at text[], g_snapshot text[],
  e_group integer[], e_seq integer[], e_type text[], e_data text[], e_user integer[], e_at text[],
  p_stored_at timestamptz
) RETURNS TABLE (o_match text, o_written boolean, o_epoch integer, o_writer uuid, o_previous_cursor bigint, o_first_cursor bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := cardinality(g_match);
  ok boolean[] := array_fill(false, ARRAY[n]);
  epochs integer[] := array_fill(NULL::integer, ARRAY[n]);
  writers uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  prevs bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  firsts bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  total bigint := 0;
  next_cursor bigint;
  r record;
BEGIN
  FOR r IN
    SELECT g.i, m.epoch, m.writer_console_id, s.last_seq, s.last_cursor
    FROM unnest(g_match) WITH ORDINALITY AS g(id, i)
    JOIN matches m ON m.id = g.id
    JOIN match_statistics s ON s.match_id = m.id
    ORDER BY m.id
    FOR UPDATE OF m, s
  LOOP
    epochs[r.i] := r.epoch;
    writers[r.i] := r.writer_console_id;
    prevs[r.i] := r.last_cursor;
    IF r.epoch = g_epoch[r.i] AND r.writer_console_id = g_writer[r.i] AND r.last_seq + 1 = g_first_seq[r.i] THEN
      ok[r.i] := true;
      total := total + g_count[r.i];
    END IF;
  END LOOP;

  IF total > 0 THEN
    UPDATE event_cursor SET value = value + total RETURNING value - total INTO next_cursor;
    FOR i IN 1..n LOOP
      IF ok[i] THEN
        firsts[i] := next_cursor + 1;
        next_cursor := next_cursor + g_count[i];
      END IF;
    END LOOP;

    INSERT INTO match_events ("cursor", match_id, seq, console_id, epoch, event_type, event_data, user_id, "timestamp", at_text)
    SELECT firsts[u.g] + row_number() OVER (PARTITION BY u.g ORDER BY u.i) - 1,
           g_match[u.g], u.seq, g_writer[u.g], g_epoch[u.g], u.t, u.d::jsonb, u.usr, u.a::timestamptz, u.a
    FROM unnest(e_group, e_seq, e_type, e_data, e_user, e_at) WITH ORDINALITY AS u(g, seq, t, d, usr, a, i)
    WHERE ok[u.g];

    UPDATE match_statistics st SET
      status = g_status[g.i], home_score = g_home[g.i], away_score = g_away[g.i],
      event_count = st.event_count + g_count[g.i],
      last_seq = g_first_seq[g.i] + g_count[g.i] - 1,
      last_cursor = firsts[g.i] + g_count[g.i] - 1,
      last_event_at = g_last_at[g.i]::timestamptz,
      snapshot = g_snapshot[g.i]::jsonb
        || jsonb_build_object('cursor', firsts[g.i] + g_count[g.i] - 1, 'epoch', epochs[g.i]),
      updated_at = p_stored_at
    FROM generate_subscripts(g_match, 1) AS g(i)
    WHERE ok[g.i] AND st.match_id = g_match[g.i];
  END IF;

  RETURN QUERY SELECT g_match[i], ok[i], epochs[i], writers[i], prevs[i], firsts[i]
    FROM generate_subscripts(g_match, 1) AS i ORDER BY i;
END
$$;

-- Down Migration
DROP FUNCTION IF EXISTS scoredesk_commit_batch(text[], integer[], uuid[], integer[], integer[], text[], integer[], integer[], text[], text[], integer[], integer[], text[], text[], integer[], text[], timestamptz);

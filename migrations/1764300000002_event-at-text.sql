-- Up Migration

-- `at` exactly as the console sent it (offset and precision kept), so a fold of the
-- stored events is byte-identical to the console's fold. "timestamp" stays for SQL use.
ALTER TABLE match_events ADD COLUMN at_text text;
UPDATE match_events SET at_text = to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') WHERE at_text IS NULL;
ALTER TABLE match_events ALTER COLUMN at_text SET NOT NULL;

-- Sessions are looked up by socket on disconnect.
CREATE INDEX IF NOT EXISTS websocket_sessions_socket_idx ON websocket_sessions (socket_id);

-- Down Migration
DROP INDEX IF EXISTS websocket_sessions_socket_idx;
ALTER TABLE match_events DROP COLUMN at_text;

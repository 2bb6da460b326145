-- Up Migration

-- Issue 12: tokens stop working the moment their user is deleted or disabled, or the token
-- itself is revoked. Every change below is announced on the channel scoredesk_auth (a
-- trigger, so a change made by hand in psql is honoured too); each server process LISTENs,
-- drops the affected sockets and streams, and checks its memory on every verification.

-- A disabled user keeps its row (its events reference it) but no token of it works.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Revoked token ids (the jti claim). Kept until the token would have expired anyway.
CREATE TABLE revoked_tokens (
  jti        text PRIMARY KEY,
  -- The token's subject and role, for the court wall and the audit trail.
  subject    text,
  role       text,
  revoked_by integer REFERENCES users (id) ON DELETE SET NULL,
  revoked_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);

CREATE FUNCTION scoredesk_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'revoked_tokens' THEN
    PERFORM pg_notify('scoredesk_auth', json_build_object('kind', 'token', 'jti', NEW.jti)::text);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('scoredesk_auth', json_build_object('kind', 'user', 'id', OLD.id)::text);
  ELSE
    PERFORM pg_notify('scoredesk_auth', json_build_object('kind', 'user', 'id', NEW.id)::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER revoked_tokens_notify AFTER INSERT ON revoked_tokens
  FOR EACH ROW EXECUTE FUNCTION scoredesk_notify_auth();
CREATE TRIGGER users_notify AFTER DELETE OR UPDATE OF disabled_at, role, courts ON users
  FOR EACH ROW EXECUTE FUNCTION scoredesk_notify_auth();

-- Presence rows belong to their user: deleting the user deletes them (orphans from before go now).
DELETE FROM console_presence p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.username = p.username);
ALTER TABLE console_presence
  ADD CONSTRAINT console_presence_username_fkey FOREIGN KEY (username) REFERENCES users (username)
  ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX console_presence_username_idx ON console_presence (username, online, updated_at);

-- A deleted user's session rows stay (username, times) without the reference that blocked the delete.
ALTER TABLE websocket_sessions DROP CONSTRAINT websocket_sessions_user_id_fkey,
  ADD CONSTRAINT websocket_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;

-- Down Migration
ALTER TABLE websocket_sessions DROP CONSTRAINT websocket_sessions_user_id_fkey,
  ADD CONSTRAINT websocket_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
DROP INDEX console_presence_username_idx;
ALTER TABLE console_presence DROP CONSTRAINT console_presence_username_fkey;
DROP TRIGGER users_notify ON users;
DROP TRIGGER revoked_tokens_notify ON revoked_tokens;
DROP FUNCTION scoredesk_notify_auth();
DROP TABLE revoked_tokens;
ALTER TABLE users DROP COLUMN disabled_at;

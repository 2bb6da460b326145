-- Up Migration

-- People who log in. Roles: admin (director), scorer (console operator), viewer (graphics).
CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'scorer', 'viewer')),
  -- A scorer writes only to matches on these courts; empty means every court.
  courts        text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE courts (
  id         text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE matches (
  id            text PRIMARY KEY,
  sport         text NOT NULL,
  court         text NOT NULL REFERENCES courts (id),
  home_name     text NOT NULL,
  away_name     text NOT NULL,
  scheduled_at  timestamptz,
  slot_minutes  integer,
  options       jsonb NOT NULL DEFAULT '{}',
  -- Fencing epoch: only the console holding it may write (match:claim bumps it).
  epoch         integer NOT NULL DEFAULT 0,
  writer_console_id uuid,
  created_by    integer REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX matches_court_idx ON matches (court);

-- One gapless counter: the batch writer locks this row until commit, so cursors are
-- handed out in commit order and "after cursor X" never skips a row (even with
-- several server processes).
CREATE TABLE event_cursor (
  id    boolean PRIMARY KEY DEFAULT true CHECK (id),
  value bigint NOT NULL
);
INSERT INTO event_cursor (id, value) VALUES (true, 0);

CREATE TABLE match_events (
  "cursor"    bigint PRIMARY KEY,
  match_id    text NOT NULL REFERENCES matches (id),
  seq         integer NOT NULL CHECK (seq >= 1),
  console_id  uuid NOT NULL,
  epoch       integer NOT NULL CHECK (epoch >= 0),
  event_type  text NOT NULL,
  event_data  jsonb NOT NULL,
  -- Who did it: the logged-in user and the device (the guide's user_id / device_id).
  user_id     integer REFERENCES users (id),
  device_id   uuid GENERATED ALWAYS AS (console_id) STORED,
  -- `at` as the console recorded it: shown, never used for ordering.
  "timestamp" timestamptz NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  -- seq continues across consoles after a handover, so (match, seq) is unique on its
  -- own; that makes (match, console, seq) unique too and duplicates impossible.
  CONSTRAINT match_events_match_seq_key UNIQUE (match_id, seq)
);
CREATE INDEX match_events_match_cursor_idx ON match_events (match_id, "cursor");

-- Derived state, updated in the same transaction as the events it reflects.
CREATE TABLE match_statistics (
  match_id     text PRIMARY KEY REFERENCES matches (id),
  status       text NOT NULL,
  home_score   integer NOT NULL DEFAULT 0,
  away_score   integer NOT NULL DEFAULT 0,
  event_count  integer NOT NULL DEFAULT 0,
  last_seq     integer NOT NULL DEFAULT 0,
  last_cursor  bigint NOT NULL DEFAULT 0,
  last_event_at timestamptz,
  snapshot     jsonb NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every Socket.io connection, for "who was connected when".
CREATE TABLE websocket_sessions (
  id              bigserial PRIMARY KEY,
  socket_id       text NOT NULL,
  namespace       text NOT NULL,
  server_id       text NOT NULL,
  user_id         integer REFERENCES users (id),
  username        text,
  role            text,
  console_id      uuid,
  match_id        text,
  court           text,
  connected_at    timestamptz NOT NULL DEFAULT now(),
  last_activity   timestamptz NOT NULL DEFAULT now(),
  disconnected_at timestamptz,
  disconnect_reason text
);
CREATE INDEX websocket_sessions_open_idx ON websocket_sessions (server_id) WHERE disconnected_at IS NULL;

-- Latest presence report of each console, for the director's court wall.
CREATE TABLE console_presence (
  console_id        uuid PRIMARY KEY,
  username          text NOT NULL,
  court             text,
  match_id          text,
  pending           integer NOT NULL DEFAULT 0,
  last_confirmed_at timestamptz,
  state             text NOT NULL,
  online            boolean NOT NULL,
  server_id         text,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE console_presence;
DROP TABLE websocket_sessions;
DROP TABLE match_statistics;
DROP TABLE match_events;
DROP TABLE event_cursor;
DROP TABLE matches;
DROP TABLE courts;
DROP TABLE users;

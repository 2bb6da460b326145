-- Up Migration

-- Device health in presence reports (contract 1.1): the console's role on its match, its
-- battery, the round trip and clock offset of its time:sync exchange, its app version.
ALTER TABLE console_presence
  ADD COLUMN role text,
  ADD COLUMN battery_level double precision,
  ADD COLUMN battery_charging boolean,
  ADD COLUMN rtt_ms double precision,
  ADD COLUMN clock_offset_ms double precision,
  ADD COLUMN app_version text;

-- Audit trail: every change of a match's writer (the first push at epoch 0, a console's
-- match:claim, a director's handover). The previous writer is fenced from that moment.
CREATE TABLE match_writer_changes (
  id                  bigserial PRIMARY KEY,
  match_id            text NOT NULL REFERENCES matches (id),
  epoch               integer NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('first-push', 'claim', 'handover')),
  console_id          uuid,
  previous_console_id uuid,
  -- Who made the change: the claiming console's user, or the director.
  user_id             integer REFERENCES users (id),
  changed_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_writer_changes_match_idx ON match_writer_changes (match_id, id);

-- Audit trail: pushes refused because their console no longer holds the match (fenced):
-- the events stay on that console for review; here is what it tried to send.
CREATE TABLE match_fenced_pushes (
  id          bigserial PRIMARY KEY,
  match_id    text NOT NULL REFERENCES matches (id),
  console_id  uuid,
  user_id     integer REFERENCES users (id),
  epoch       integer NOT NULL,
  first_seq   integer NOT NULL,
  last_seq    integer NOT NULL,
  events      integer NOT NULL,
  refused_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_fenced_pushes_match_idx ON match_fenced_pushes (match_id, id);

-- Audit trail: changes of a match's verification state (the verify stream writes here once
-- it exists; the audit export reads it already).
CREATE TABLE match_verification_changes (
  id         bigserial PRIMARY KEY,
  match_id   text NOT NULL REFERENCES matches (id),
  state      text NOT NULL CHECK (state IN ('agree', 'disagree')),
  -- What disagreed: the two states compared (score, games, sets), as the verifier saw them.
  detail     jsonb NOT NULL DEFAULT '{}',
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_verification_changes_match_idx ON match_verification_changes (match_id, id);

-- Down Migration
DROP TABLE match_verification_changes;
DROP TABLE match_fenced_pushes;
DROP TABLE match_writer_changes;
ALTER TABLE console_presence
  DROP COLUMN role,
  DROP COLUMN battery_level,
  DROP COLUMN battery_charging,
  DROP COLUMN rtt_ms,
  DROP COLUMN clock_offset_ms,
  DROP COLUMN app_version;

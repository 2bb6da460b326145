-- Up Migration

-- A second scorer's cross-check (contract 1.1, events:push with stream "verify"): each
-- verifying console's own stream of a match, in its own seq space from 1. Stored apart
-- from match_events so it can never become the official score or be broadcast as one.
CREATE TABLE match_verify_events (
  match_id    text NOT NULL REFERENCES matches (id),
  console_id  uuid NOT NULL,
  seq         integer NOT NULL CHECK (seq >= 1),
  event_type  text NOT NULL,
  event_data  jsonb NOT NULL,
  -- `at` exactly as the console sent it (shown, never used for ordering).
  at_text     text NOT NULL,
  user_id     integer REFERENCES users (id),
  stored_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (match_id, console_id, seq)
);

-- The match's verification as every snapshot read shows it (null: no verify stream), and
-- the court wall's alert (null, or since when the two states have disagreed for 2 s or more).
ALTER TABLE match_statistics
  ADD COLUMN verification jsonb,
  ADD COLUMN verification_alert jsonb;

-- Down Migration
ALTER TABLE match_statistics DROP COLUMN verification_alert, DROP COLUMN verification;
DROP TABLE match_verify_events;

-- Up Migration
-- Doubles (contract v1.1): each side's players as listed at creation (a JSON array of
-- names), null when none were named. The serve order reads them.
ALTER TABLE matches ADD COLUMN home_players jsonb, ADD COLUMN away_players jsonb;

-- Down Migration
ALTER TABLE matches DROP COLUMN home_players, DROP COLUMN away_players;

/**
 * The console database schema, one step per version. PRAGMA user_version holds how many
 * steps ran; each step runs in the transaction that bumps it, so a crash mid-upgrade
 * leaves the previous version intact. Append steps; never edit a released one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: event log, outbox, schedule cache, settings.
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  -- Every match this console knows: scheduled by the server or created here offline.
  CREATE TABLE matches (
    id           TEXT PRIMARY KEY,
    meta         TEXT NOT NULL,              -- MatchMeta JSON
    epoch        INTEGER NOT NULL DEFAULT 0, -- fencing epoch this console writes with
    writable     INTEGER NOT NULL DEFAULT 1 CHECK (writable IN (0, 1)),
    fence_code   TEXT,                       -- why it is read-only (STALE_EPOCH, ...)
    fence_reason TEXT,
    local_only   INTEGER NOT NULL DEFAULT 0 CHECK (local_only IN (0, 1)), -- created offline, unknown to the server
    last_seq     INTEGER NOT NULL DEFAULT 0, -- the seq of the newest event in events
    snapshot     TEXT,                       -- MatchSnapshot JSON after last_seq
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
  );

  -- The event log: (match_id, seq) is the identity, so a seq can never be used twice.
  CREATE TABLE events (
    match_id   TEXT NOT NULL REFERENCES matches (id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    at         TEXT NOT NULL,
    epoch      INTEGER NOT NULL,
    console_id TEXT NOT NULL,
    cursor     INTEGER,                      -- the server's cursor once known, else NULL
    PRIMARY KEY (match_id, seq)
  ) WITHOUT ROWID;

  -- What the server confirmed, per match: events with seq <= confirmed_seq are stored centrally.
  CREATE TABLE outbox (
    match_id          TEXT PRIMARY KEY REFERENCES matches (id),
    confirmed_seq     INTEGER NOT NULL DEFAULT 0,
    confirmed_cursor  INTEGER NOT NULL DEFAULT 0,
    last_confirmed_at TEXT
  );

  -- Unsent events that a handover overtook: kept for the operator to review, never sent.
  CREATE TABLE set_aside_events (
    match_id     TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    type         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    at           TEXT NOT NULL,
    epoch        INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    set_aside_at TEXT NOT NULL,
    PRIMARY KEY (match_id, seq, set_aside_at)
  );

  -- The server's schedule for this console's court, as last seen (shown while offline).
  CREATE TABLE schedule_cache (
    match_id   TEXT PRIMARY KEY,
    court      TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    fetched_at TEXT NOT NULL
  );
  CREATE INDEX schedule_cache_court_idx ON schedule_cache (court);
  `,
  // 2: the server password is no longer kept (issue 12): the console signs in once and keeps a
  // revocable device token outside this file (desktop/core/sync/token-vault.ts). A password
  // and session token stored by an older version are dropped; the operator signs in once more.
  // secure_delete: the freed page is overwritten, so the password is not left in the file.
  `
  PRAGMA secure_delete = ON;
  DELETE FROM settings WHERE key IN ('password', 'token');
  `,
  // 3: verifier mode (issue 16): a match this console scores as a second scorer's cross-check
  // (events:push stream "verify"): its own seq space, never claimed, never fenced.
  `
  ALTER TABLE matches ADD COLUMN stream TEXT NOT NULL DEFAULT 'official' CHECK (stream IN ('official', 'verify'));
  `,
];

-- Up Migration

-- @socket.io/postgres-adapter (SCOREDESK_ADAPTER=postgres) passes payloads over 8000 bytes
-- through this table instead of NOTIFY.
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id         bigserial UNIQUE,
  created_at timestamptz DEFAULT now(),
  payload    bytea
);

-- Down Migration
DROP TABLE IF EXISTS socket_io_attachments;

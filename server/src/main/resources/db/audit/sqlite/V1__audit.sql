-- The audit trail in a SQLite file of its own (audit.db beside meterbridge.db), so that its batches
-- never take the metering database's write lock. One row per call the server answered, accepted or
-- refused, and per admin request; read newest first by GET /admin/audit and deleted once older than
-- the retention. Times are epoch milliseconds; no secret or signature is kept. The same table as
-- the metering database's V4, which V6 there moves here.
CREATE TABLE audit_call (
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  request_id    TEXT    NOT NULL,
  operation     TEXT    NOT NULL,
  account_id    TEXT,
  access_key_id TEXT,
  source        TEXT,
  status        INTEGER NOT NULL,
  error_code    TEXT,
  records       INTEGER NOT NULL,
  latency_us    INTEGER NOT NULL
);
CREATE INDEX audit_call_at ON audit_call (at_ms);
CREATE INDEX audit_call_request ON audit_call (request_id);

-- The audit trail: one row per call the server answered, accepted or refused, and per admin
-- request. Written in batches by the store's AuditLog, read newest first by GET /admin/audit, and
-- deleted once older than the retention. Times are epoch milliseconds; no secret or signature is kept.
CREATE TABLE audit_call (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_ms         BIGINT   NOT NULL,
  request_id    TEXT     NOT NULL,
  operation     TEXT     NOT NULL,
  account_id    TEXT,
  access_key_id TEXT,
  source        TEXT,
  status        SMALLINT NOT NULL,
  error_code    TEXT,
  records       INTEGER  NOT NULL,
  latency_us    BIGINT   NOT NULL
);
CREATE INDEX audit_call_at ON audit_call (at_ms);
CREATE INDEX audit_call_request ON audit_call (request_id);

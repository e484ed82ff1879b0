-- A MeterUsage ClientToken stays bound to its first call's parameters. A call answered from a row
-- another call stored for the same hour stores no row of its own, so its token is bound here; a
-- token is looked up in meter_usage.client_token and in this table.
CREATE TABLE meter_usage_token (
  caller_account_id   TEXT NOT NULL,
  client_token        TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  metering_record_id  TEXT NOT NULL,
  PRIMARY KEY (caller_account_id, client_token)
);

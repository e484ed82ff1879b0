-- BatchMeterUsage records stored a call at a time (the SQLite migration of the same version says
-- why and describes the record JSON). On PostgreSQL a record was a heap tuple with two index
-- entries (seq and the unique key); now it is a narrow batch_record tuple with one (the key), and
-- the call's fields are one batch_call tuple per call.
--
-- batch_call.seq comes from its own sequence: the writers of several processes take their calls'
-- seqs from it before inserting the calls' records, which point at them (ref = seq * 1024 + slot).

-- Processes of an older version may still be writing batch_usage (several share one database):
-- they wait here until the copy is done and the table gone, and then fail, rather than commit
-- records between the copies below that would be lost. Stop them before upgrading.
LOCK TABLE batch_usage IN EXCLUSIVE MODE;

INSERT INTO key_name (name)
  SELECT DISTINCT license_arn FROM batch_usage WHERE license_arn IS NOT NULL
  ON CONFLICT DO NOTHING;

CREATE SEQUENCE batch_call_seq AS BIGINT;

CREATE TABLE batch_call (
  seq               BIGINT  PRIMARY KEY,
  product_id        INTEGER NOT NULL,
  caller_account_id TEXT    NOT NULL,
  received_at       BIGINT  NOT NULL,
  records           TEXT    NOT NULL
);

ALTER SEQUENCE batch_call_seq OWNED BY batch_call.seq;

CREATE TABLE batch_record (
  hour         BIGINT  NOT NULL,
  product_id   INTEGER NOT NULL,
  customer_id  INTEGER NOT NULL,
  dimension_id INTEGER NOT NULL,
  quantity     INTEGER NOT NULL,
  license_id   INTEGER,
  ref          BIGINT  NOT NULL,
  PRIMARY KEY (hour, product_id, customer_id, dimension_id)
);

INSERT INTO batch_call (seq, product_id, caller_account_id, received_at, records)
  SELECT b.seq, b.product_id, b.caller_account_id, b.received_at,
    json_build_array(json_build_object('s', 0, 'id', b.id, 'c', b.customer_id, 'd', b.dimension_id,
      't', b.usage_time, 'q', b.quantity, 'a', b.allocations, 'f', b.fingerprint, 'l', l.id))::text
  FROM batch_usage b LEFT JOIN key_name l ON l.name = b.license_arn;

INSERT INTO batch_record (hour, product_id, customer_id, dimension_id, quantity, license_id, ref)
  SELECT b.hour, b.product_id, b.customer_id, b.dimension_id, b.quantity, l.id, b.seq * 1024
  FROM batch_usage b LEFT JOIN key_name l ON l.name = b.license_arn;

DO $$ BEGIN
  PERFORM setval('batch_call_seq', COALESCE((SELECT max(seq) FROM batch_call), 0) + 1, false);
END $$;

DROP TABLE batch_usage;

-- Statistics now, not when autovacuum gets round to it: plans made against empty statistics can
-- scan (see PostgresDialect.internNames).
ANALYZE key_name;
ANALYZE batch_call;
ANALYZE batch_record;

-- BatchMeterUsage records stored a call at a time. Until V6 every record was a row of batch_usage
-- with its own rowid B-tree entry and a unique-index entry; with spread keys SQLite spent ~22,400
-- instructions a record on the two (measured: bench/sqlite-row-cost.sh). Now:
--
-- batch_call:   one row per stored call (per product, at most 1,024 records): the records' own
--               fields packed as a JSON array, appended in seq order.
-- batch_record: the dedup key, one entry per record, clustered on the key (WITHOUT ROWID, so one
--               B-tree, not two), with what reports sum and group by, and where the record lives:
--               ref = call seq * 1024 + its slot "s" in the call's array.
--
-- The JSON of a record: {"s": slot, "id": metering record id, "c": customer key_name id,
-- "d": dimension key_name id, "t": usage time in epoch ms, "q": quantity, "a": allocations,
-- "f": fingerprint, "l": license key_name id or null}. The call row holds the product, the caller
-- and the time received. License ARNs join the key_name dictionary.
--
-- Existing rows become calls of one record each, under their old seq: page cursors and storage
-- order stay as they were.

INSERT OR IGNORE INTO key_name (name)
  SELECT DISTINCT license_arn FROM batch_usage WHERE license_arn IS NOT NULL;

CREATE TABLE batch_call (
  seq               INTEGER PRIMARY KEY,
  product_id        INTEGER NOT NULL,
  caller_account_id TEXT    NOT NULL,
  received_at       INTEGER NOT NULL,
  records           TEXT    NOT NULL
);

CREATE TABLE batch_record (
  hour         INTEGER NOT NULL,
  product_id   INTEGER NOT NULL,
  customer_id  INTEGER NOT NULL,
  dimension_id INTEGER NOT NULL,
  quantity     INTEGER NOT NULL,
  license_id   INTEGER,
  ref          INTEGER NOT NULL,
  PRIMARY KEY (hour, product_id, customer_id, dimension_id)
) WITHOUT ROWID;

INSERT INTO batch_call (seq, product_id, caller_account_id, received_at, records)
  SELECT b.seq, b.product_id, b.caller_account_id, b.received_at,
    json_array(json_object('s', 0, 'id', b.id, 'c', b.customer_id, 'd', b.dimension_id, 't', b.usage_time,
      'q', b.quantity, 'a', b.allocations, 'f', b.fingerprint, 'l', l.id))
  FROM batch_usage b LEFT JOIN key_name l ON l.name = b.license_arn;

INSERT INTO batch_record (hour, product_id, customer_id, dimension_id, quantity, license_id, ref)
  SELECT b.hour, b.product_id, b.customer_id, b.dimension_id, b.quantity, l.id, b.seq * 1024
  FROM batch_usage b LEFT JOIN key_name l ON l.name = b.license_arn;

DROP TABLE batch_usage;

-- A narrower dedup key for batch_usage. The unique index held the key's text (product code, customer
-- account id, dimension name: ~40 bytes an entry); it now holds small integers from key_name, a
-- dictionary the store's writer fills as it meets new names (~20 bytes an entry). With spread keys
-- (a group's rows under thousands of customers) every insert visits an index page of its own, so
-- half the entry size is about half the pages a commit dirties, and twice the hour that fits the
-- page cache. The text columns stay: they are what reads return.

CREATE TABLE key_name (
  id   INTEGER PRIMARY KEY,
  name TEXT    NOT NULL UNIQUE
);

INSERT INTO key_name (name)
  SELECT product_code FROM batch_usage
  UNION SELECT customer_key FROM batch_usage
  UNION SELECT dimension FROM batch_usage;

ALTER TABLE batch_usage ADD COLUMN product_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batch_usage ADD COLUMN customer_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batch_usage ADD COLUMN dimension_id INTEGER NOT NULL DEFAULT 0;

UPDATE batch_usage SET
  product_id   = (SELECT id FROM key_name WHERE name = product_code),
  customer_id  = (SELECT id FROM key_name WHERE name = customer_key),
  dimension_id = (SELECT id FROM key_name WHERE name = dimension);

DROP INDEX batch_usage_key;
CREATE UNIQUE INDEX batch_usage_key ON batch_usage (hour, product_id, customer_id, dimension_id);

-- Meterbridge storage, SQLite dialect. Times are epoch milliseconds, except hour (epoch seconds).

CREATE TABLE account (
  account_id TEXT NOT NULL PRIMARY KEY,
  name       TEXT NOT NULL
);

CREATE TABLE access_key (
  access_key_id     TEXT NOT NULL PRIMARY KEY,
  account_id        TEXT NOT NULL REFERENCES account (account_id),
  secret_access_key TEXT NOT NULL
);

CREATE TABLE product (
  product_code      TEXT NOT NULL PRIMARY KEY,
  seller_account_id TEXT NOT NULL REFERENCES account (account_id),
  product_type      TEXT NOT NULL CHECK (product_type IN ('SAAS', 'AMI', 'CONTAINER')),
  region            TEXT NOT NULL
);

CREATE TABLE product_dimension (
  product_code TEXT NOT NULL REFERENCES product (product_code),
  dimension    TEXT NOT NULL,
  PRIMARY KEY (product_code, dimension)
);

CREATE TABLE signing_key (
  product_code TEXT    NOT NULL REFERENCES product (product_code),
  version      INTEGER NOT NULL CHECK (version >= 1),
  private_key  BLOB    NOT NULL,
  public_key   BLOB    NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  PRIMARY KEY (product_code, version)
);

CREATE TABLE subscription (
  product_code        TEXT    NOT NULL REFERENCES product (product_code),
  customer_account_id TEXT    NOT NULL,
  customer_identifier TEXT,
  license_arn         TEXT,
  active              INTEGER NOT NULL,
  since               INTEGER NOT NULL,
  PRIMARY KEY (product_code, customer_account_id)
);
CREATE UNIQUE INDEX subscription_customer_identifier ON subscription (product_code, customer_identifier)
  WHERE customer_identifier IS NOT NULL;
CREATE UNIQUE INDEX subscription_license_arn ON subscription (license_arn) WHERE license_arn IS NOT NULL;

CREATE TABLE registration_token (
  token               TEXT    NOT NULL PRIMARY KEY,
  product_code        TEXT    NOT NULL REFERENCES product (product_code),
  customer_account_id TEXT    NOT NULL,
  customer_identifier TEXT,
  license_arn         TEXT,
  expires_at          INTEGER NOT NULL
);

-- Metering tables: no foreign keys (the service layer has checked the catalog; a lookup per insert
-- would cost throughput) and one unique index each besides the rowid. The unique keys lead with the
-- hour, so new rows land at the right edge of the index and inserts stay fast as the table grows.
-- seq is the rowid: append-only, the pagination cursor.

CREATE TABLE batch_usage (
  seq               INTEGER PRIMARY KEY,
  id                TEXT    NOT NULL,
  hour              INTEGER NOT NULL,
  product_code      TEXT    NOT NULL,
  customer_key      TEXT    NOT NULL,
  dimension         TEXT    NOT NULL,
  usage_time        INTEGER NOT NULL,
  quantity          INTEGER NOT NULL,
  allocations       TEXT    NOT NULL,
  fingerprint       TEXT    NOT NULL,
  license_arn       TEXT,
  caller_account_id TEXT    NOT NULL,
  received_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX batch_usage_key ON batch_usage (hour, product_code, customer_key, dimension);

CREATE TABLE meter_usage (
  seq                 INTEGER PRIMARY KEY,
  id                  TEXT    NOT NULL,
  hour                INTEGER NOT NULL,
  caller_identity     TEXT    NOT NULL,
  caller_account_id   TEXT    NOT NULL,
  product_code        TEXT    NOT NULL,
  dimension           TEXT    NOT NULL,
  usage_time          INTEGER NOT NULL,
  quantity            INTEGER NOT NULL,
  allocations         TEXT    NOT NULL,
  fingerprint         TEXT    NOT NULL,
  client_token        TEXT,
  request_fingerprint TEXT    NOT NULL,
  received_at         INTEGER NOT NULL
);
CREATE UNIQUE INDEX meter_usage_key ON meter_usage (hour, caller_identity, product_code, dimension);
CREATE UNIQUE INDEX meter_usage_client_token ON meter_usage (caller_account_id, client_token)
  WHERE client_token IS NOT NULL;

CREATE TABLE task_registration (
  caller_identity   TEXT    NOT NULL,
  product_code      TEXT    NOT NULL,
  caller_account_id TEXT    NOT NULL,
  first_seen        INTEGER NOT NULL,
  last_seen         INTEGER NOT NULL,
  calls             INTEGER NOT NULL,
  PRIMARY KEY (caller_identity, product_code)
);

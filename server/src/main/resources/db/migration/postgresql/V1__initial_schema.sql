-- Meterbridge storage, PostgreSQL dialect. Times are epoch milliseconds, except hour (epoch seconds),
-- the same as the SQLite dialect so both share every statement outside the hot path.

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
  private_key  BYTEA   NOT NULL,
  public_key   BYTEA   NOT NULL,
  created_at   BIGINT  NOT NULL,
  expires_at   BIGINT,
  PRIMARY KEY (product_code, version)
);

CREATE TABLE subscription (
  product_code        TEXT    NOT NULL REFERENCES product (product_code),
  customer_account_id TEXT    NOT NULL,
  customer_identifier TEXT,
  license_arn         TEXT,
  active              BOOLEAN NOT NULL,
  since               BIGINT  NOT NULL,
  PRIMARY KEY (product_code, customer_account_id)
);
CREATE UNIQUE INDEX subscription_customer_identifier ON subscription (product_code, customer_identifier)
  WHERE customer_identifier IS NOT NULL;
CREATE UNIQUE INDEX subscription_license_arn ON subscription (license_arn) WHERE license_arn IS NOT NULL;

CREATE TABLE registration_token (
  token               TEXT   NOT NULL PRIMARY KEY,
  product_code        TEXT   NOT NULL REFERENCES product (product_code),
  customer_account_id TEXT   NOT NULL,
  customer_identifier TEXT,
  license_arn         TEXT,
  expires_at          BIGINT NOT NULL
);

-- Metering tables: no foreign keys (the service layer has checked the catalog) and one unique index
-- each besides the sequence key. The unique keys lead with the hour, so new rows land at the right
-- edge of the index and inserts stay fast as the table grows. seq is append-only: the page cursor.

CREATE TABLE batch_usage (
  seq               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                TEXT    NOT NULL,
  hour              BIGINT  NOT NULL,
  product_code      TEXT    NOT NULL,
  customer_key      TEXT    NOT NULL,
  dimension         TEXT    NOT NULL,
  usage_time        BIGINT  NOT NULL,
  quantity          INTEGER NOT NULL,
  allocations       TEXT    NOT NULL,
  fingerprint       TEXT    NOT NULL,
  license_arn       TEXT,
  caller_account_id TEXT    NOT NULL,
  received_at       BIGINT  NOT NULL
);
CREATE UNIQUE INDEX batch_usage_key ON batch_usage (hour, product_code, customer_key, dimension);

CREATE TABLE meter_usage (
  seq                 BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                  TEXT    NOT NULL,
  hour                BIGINT  NOT NULL,
  caller_identity     TEXT    NOT NULL,
  caller_account_id   TEXT    NOT NULL,
  product_code        TEXT    NOT NULL,
  dimension           TEXT    NOT NULL,
  usage_time          BIGINT  NOT NULL,
  quantity            INTEGER NOT NULL,
  allocations         TEXT    NOT NULL,
  fingerprint         TEXT    NOT NULL,
  client_token        TEXT,
  request_fingerprint TEXT    NOT NULL,
  received_at         BIGINT  NOT NULL
);
CREATE UNIQUE INDEX meter_usage_key ON meter_usage (hour, caller_identity, product_code, dimension);
CREATE UNIQUE INDEX meter_usage_client_token ON meter_usage (caller_account_id, client_token)
  WHERE client_token IS NOT NULL;

CREATE TABLE task_registration (
  caller_identity   TEXT   NOT NULL,
  product_code      TEXT   NOT NULL,
  caller_account_id TEXT   NOT NULL,
  first_seen        BIGINT NOT NULL,
  last_seen         BIGINT NOT NULL,
  calls             BIGINT NOT NULL,
  PRIMARY KEY (caller_identity, product_code)
);

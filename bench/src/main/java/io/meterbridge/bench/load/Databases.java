package io.meterbridge.bench.load;

import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** Fresh databases for runs, and the bulk prefill (plain SQL, not through the server or the store). */
final class Databases {
  /** The fingerprint column's width: 32 hex digits, as the service writes. */
  private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";
  private static final int ROWS_PER_HOUR = 2_000_000;
  /**
   * The prefill's names in the store's key_name dictionary (schema V3), with ids the prefill can
   * compute: the product 1, customer i 2 + i, dimension d 2002 + d. The store's writer loads them
   * and adds names it meets later after them. (PostgreSQL here; the SQLite prefill says the same.)
   */
  private static final String KEY_NAMES = "INSERT INTO key_name (id, name) SELECT 1, 'bench-saas' "
      + "UNION ALL SELECT 2 + i, (200000000000 + i)::text FROM generate_series(0, 1999) i "
      + "UNION ALL SELECT 2002 + i, 'd' || lpad(i::text, 4, '0') FROM generate_series(0, 999) i";
  private static final String ID_COLUMNS = "product_id, customer_id, dimension_id";
  private static final String ID_VALUES = "1, 2 + i % 2000, 2002 + (i / 2000) % 1000";

  private Databases() {}

  /** The PostgreSQL URL with {@code currentSchema} set to a schema emptied for this run. */
  static String freshPostgresSchema(String url, String schema) throws SQLException {
    dropPostgresSchema(url, schema);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /**
   * Drops a run's schema, so that a 10-million-row table does not stay behind for PostgreSQL's
   * checkpoints and autovacuum to work through during the next measurements.
   */
  static void dropPostgresSchema(String url, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  static StoreConfig storeConfig(Path sqliteDir, String postgresUrl) {
    return postgresUrl == null ? StoreConfig.sqlite(sqliteDir).build() : StoreConfig.postgres(postgresUrl).build();
  }

  /**
   * Creates the schema (by opening a store) and inserts {@code rows} BatchMeterUsage rows in hours
   * a month before the load's key space, with one set-based INSERT (SQLite: a recursive CTE with
   * {@code synchronous=OFF}; PostgreSQL: {@code generate_series}), then analyses the table.
   */
  static void prefill(Path sqliteDir, String postgresUrl, long rows, long loadFirstHour) throws SQLException {
    Stores.open(storeConfig(sqliteDir, postgresUrl)).close();
    if (rows <= 0) {
      return;
    }
    long base = loadFirstHour - 30L * 24 * 3600;
    long started = System.nanoTime();
    if (postgresUrl == null) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteDir.resolve("meterbridge.db"));
          Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=OFF");
        s.execute("PRAGMA cache_size=-262144");
        c.setAutoCommit(false);
        s.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999) "
            + "INSERT INTO key_name (id, name) SELECT 1, 'bench-saas' "
            + "UNION ALL SELECT 2 + i, printf('%d', 200000000000 + i) FROM n "
            + "UNION ALL SELECT 2002 + i, printf('d%04d', i) FROM n WHERE i < 1000");
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
            + "WHERE i < ?) INSERT INTO batch_usage (id, hour, product_code, customer_key, dimension, usage_time, "
            + "quantity, allocations, fingerprint, license_arn, caller_account_id, received_at, " + ID_COLUMNS + ") "
            + "SELECT printf('%08x-0000-4000-8000-%012x', i, i), ? + (i / " + ROWS_PER_HOUR + ") * 3600, 'bench-saas', "
            + "printf('%d', 200000000000 + i % 2000), printf('d%04d', (i / 2000) % 1000), "
            + "(? + (i / " + ROWS_PER_HOUR + ") * 3600 + 1) * 1000, 1 + i % 8, '', '" + FINGERPRINT + "', NULL, "
            + "'111111111111', (? + (i / " + ROWS_PER_HOUR + ") * 3600 + 2) * 1000, " + ID_VALUES + " FROM n")) {
          ps.setLong(1, rows - 1);
          ps.setLong(2, base);
          ps.setLong(3, base);
          ps.setLong(4, base);
          ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
        s.execute("ANALYZE batch_usage");
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } else {
      try (Connection c = DriverManager.getConnection(postgresUrl); Statement s = c.createStatement()) {
        s.execute("SET synchronous_commit = off");
        s.execute(KEY_NAMES);
        s.execute("SELECT setval(pg_get_serial_sequence('key_name', 'id'), (SELECT max(id) FROM key_name))");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_usage (id, hour, product_code, customer_key, "
            + "dimension, usage_time, quantity, allocations, fingerprint, license_arn, caller_account_id, received_at, "
            + ID_COLUMNS + ") "
            + "SELECT md5(i::text)::uuid::text, ? + (i / " + ROWS_PER_HOUR + ") * 3600, 'bench-saas', "
            + "(200000000000 + i % 2000)::text, 'd' || lpad(((i / 2000) % 1000)::text, 4, '0'), "
            + "(? + (i / " + ROWS_PER_HOUR + ") * 3600 + 1) * 1000, 1 + i % 8, '', '" + FINGERPRINT + "', NULL, "
            + "'111111111111', (? + (i / " + ROWS_PER_HOUR + ") * 3600 + 2) * 1000, " + ID_VALUES
            + " FROM generate_series(0::int8, ?) i")) {
          ps.setLong(1, base);
          ps.setLong(2, base);
          ps.setLong(3, base);
          ps.setLong(4, rows - 1);
          ps.executeUpdate();
        }
        s.execute("VACUUM ANALYZE batch_usage");
        s.execute("CHECKPOINT");
      }
    }
    System.err.printf("prefill: %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
  }
}

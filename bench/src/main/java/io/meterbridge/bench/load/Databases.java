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
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
            + "WHERE i < ?) INSERT INTO batch_usage (id, hour, product_code, customer_key, dimension, usage_time, "
            + "quantity, allocations, fingerprint, license_arn, caller_account_id, received_at) "
            + "SELECT printf('%08x-0000-4000-8000-%012x', i, i), ? + (i / " + ROWS_PER_HOUR + ") * 3600, 'bench-saas', "
            + "printf('%d', 200000000000 + i % 2000), printf('d%04d', (i / 2000) % 1000), "
            + "(? + (i / " + ROWS_PER_HOUR + ") * 3600 + 1) * 1000, 1 + i % 8, '', '" + FINGERPRINT + "', NULL, "
            + "'111111111111', (? + (i / " + ROWS_PER_HOUR + ") * 3600 + 2) * 1000 FROM n")) {
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch_usage (id, hour, product_code, customer_key, "
            + "dimension, usage_time, quantity, allocations, fingerprint, license_arn, caller_account_id, received_at) "
            + "SELECT md5(i::text)::uuid::text, ? + (i / " + ROWS_PER_HOUR + ") * 3600, 'bench-saas', "
            + "(200000000000 + i % 2000)::text, 'd' || lpad(((i / 2000) % 1000)::text, 4, '0'), "
            + "(? + (i / " + ROWS_PER_HOUR + ") * 3600 + 1) * 1000, 1 + i % 8, '', '" + FINGERPRINT + "', NULL, "
            + "'111111111111', (? + (i / " + ROWS_PER_HOUR + ") * 3600 + 2) * 1000 FROM generate_series(0::int8, ?) i")) {
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

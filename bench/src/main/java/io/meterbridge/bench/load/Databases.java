package io.meterbridge.bench.load;

import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

  /** Records a prefilled call holds, as a BatchMeterUsage call of the load does. */
  private static final int CALL = 25;
  /** Record {@code i} of a prefilled call: call {@code j}, slot {@code s}. */
  private static final String I = "(j * " + CALL + " + s)";

  private Databases() {}

  /** The hour of prefilled record {@code i} (an SQL expression), a month before the load's. */
  private static String hour(long base, String i) {
    return "(" + base + " + ((" + i + ") / " + ROWS_PER_HOUR + ") * 3600)";
  }

  /** Where prefilled record {@code i} lives: call 1 + i / 25, slot i % 25 (SLOTS is 1024). */
  private static String ref(String i) {
    return "(1 + " + i + " / " + CALL + ") * 1024 + " + i + " % " + CALL;
  }

  private static long calls(long rows) {
    return (rows + CALL - 1) / CALL;
  }

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
   * Creates the schema (by opening a store) and inserts {@code rows} BatchMeterUsage records in
   * hours a month before the load's key space, as calls of 25, with set-based INSERTs (SQLite: recursive
   * CTEs with {@code synchronous=OFF}; PostgreSQL: {@code generate_series}), then analyses the tables.
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
        s.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (rows - 1) + ") "
            + "INSERT INTO batch_record (hour, product_id, customer_id, dimension_id, quantity, license_id, ref) "
            + "SELECT " + hour(base, "i") + ", " + ID_VALUES + ", 1 + i % 8, NULL, " + ref("i") + " FROM n");
        s.execute("WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < " + (calls(rows) - 1) + "), "
            + "x(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM x WHERE s < " + (CALL - 1) + ") "
            + "INSERT INTO batch_call (seq, product_id, caller_account_id, received_at, records) "
            + "SELECT 1 + j, 1, '111111111111', (" + hour(base, "j * " + CALL) + " + 2) * 1000, "
            + "(SELECT json_group_array(json_object('s', s, 'id', printf('%08x-0000-4000-8000-%012x', " + I + ", " + I
            + "), 'c', 2 + " + I + " % 2000, 'd', 2002 + (" + I + " / 2000) % 1000, 't', (" + hour(base, I)
            + " + 1) * 1000, 'q', 1 + " + I + " % 8, 'a', '', 'f', '" + FINGERPRINT + "', 'l', NULL)) "
            + "FROM x WHERE " + I + " < " + rows + ") FROM k");
        c.commit();
        c.setAutoCommit(true);
        s.execute("ANALYZE");
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } else {
      try (Connection c = DriverManager.getConnection(postgresUrl); Statement s = c.createStatement()) {
        s.execute("SET synchronous_commit = off");
        s.execute(KEY_NAMES);
        s.execute("SELECT setval(pg_get_serial_sequence('key_name', 'id'), (SELECT max(id) FROM key_name))");
        s.execute("INSERT INTO batch_record (hour, product_id, customer_id, dimension_id, quantity, license_id, ref) "
            + "SELECT " + hour(base, "i") + ", " + ID_VALUES + ", 1 + i % 8, NULL, " + ref("i")
            + " FROM generate_series(0::int8, " + (rows - 1) + ") i");
        s.execute("INSERT INTO batch_call (seq, product_id, caller_account_id, received_at, records) "
            + "SELECT 1 + j, 1, '111111111111', (" + hour(base, "j * " + CALL) + " + 2) * 1000, "
            + "(SELECT json_agg(json_build_object('s', s, 'id', md5(" + I + "::text)::uuid::text, "
            + "'c', 2 + " + I + " % 2000, 'd', 2002 + (" + I + " / 2000) % 1000, 't', (" + hour(base, I)
            + " + 1) * 1000, 'q', 1 + " + I + " % 8, 'a', '', 'f', '" + FINGERPRINT + "', 'l', NULL))::text "
            + "FROM generate_series(0, " + (CALL - 1) + ") s WHERE " + I + " < " + rows + ") "
            + "FROM generate_series(0::int8, " + (calls(rows) - 1) + ") j");
        s.execute("SELECT setval('batch_call_seq', " + (calls(rows) + 1) + ", false)");
        s.execute("VACUUM ANALYZE batch_record");
        s.execute("VACUUM ANALYZE batch_call");
        s.execute("CHECKPOINT");
      }
    }
    System.err.printf("prefill: %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
  }
}

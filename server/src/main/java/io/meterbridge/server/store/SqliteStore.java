package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;

/**
 * The embedded store: one SQLite file in WAL mode with {@code synchronous=FULL}, so every commit is
 * fsynced. One writer connection (SQLite admits one writer at a time anyway) fed by group commit; a
 * small pool for reads and catalog writes, which WAL lets run beside the writer.
 */
final class SqliteStore extends JdbcStore {
  static final String FILE_NAME = "meterbridge.db";
  private static final int BUSY_TIMEOUT_MS = 30_000;

  private SqliteStore(HikariDataSource pool, HikariDataSource writer, StoreConfig config) {
    super("meterbridge-sqlite", pool, writer, config);
  }

  static SqliteStore open(StoreConfig config) {
    Path dir = config.dataDir().orElseThrow();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dir + ": " + e.getMessage(), e);
    }
    String url = "jdbc:sqlite:" + dir.resolve(FILE_NAME).toAbsolutePath();
    HikariDataSource pool = null;
    HikariDataSource writer = null;
    try {
      // Migrate on connections of its own, outside the pools: Flyway leaves SQLite connections in
      // transaction states a pooled connection must not inherit.
      migrate(dataSource(url, 2_000, SQLiteConfig.TransactionMode.DEFERRED));
      pool = new HikariDataSource(hikari("meterbridge-sqlite-pool", dataSource(url, 2_000), config.poolSize()));
      // The writer gets a larger page cache: it walks the unique indexes on every insert.
      writer = new HikariDataSource(hikari("meterbridge-sqlite-writer", dataSource(url, 16_384), 1));
      return new SqliteStore(pool, writer, config);
    } catch (RuntimeException e) {
      if (writer != null) {
        writer.close();
      }
      if (pool != null) {
        pool.close();
      }
      throw e instanceof StoreException ? e : new StoreException("cannot open SQLite store at " + url + ": " + e, e);
    }
  }

  private static SQLiteDataSource dataSource(String url, int cachePages) {
    return dataSource(url, cachePages, SQLiteConfig.TransactionMode.IMMEDIATE);
  }

  private static SQLiteDataSource dataSource(String url, int cachePages, SQLiteConfig.TransactionMode mode) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL in WAL mode syncs the WAL on every commit: an acknowledged write survives power loss.
    c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    c.setBusyTimeout(BUSY_TIMEOUT_MS);
    c.enforceForeignKeys(true);
    // Take the write lock at BEGIN: a deferred transaction that upgrades later can fail with
    // SQLITE_BUSY_SNAPSHOT at once, without waiting for the busy timeout.
    c.setTransactionMode(mode);
    c.setCacheSize(cachePages);
    c.setTempStore(SQLiteConfig.TempStore.MEMORY);
    SQLiteDataSource ds = new SQLiteDataSource(c);
    ds.setUrl(url);
    return ds;
  }

  private static HikariConfig hikari(String name, SQLiteDataSource ds, int size) {
    HikariConfig h = new HikariConfig();
    h.setPoolName(name);
    h.setDataSource(ds);
    h.setMaximumPoolSize(size);
    h.setMinimumIdle(1);
    // sqlite-jdbc opens a transaction as soon as auto-commit is off (and again right after each
    // commit); with IMMEDIATE that would hold the write lock while idle. So connections rest in
    // auto-commit and the store switches it off only for the length of a transaction.
    h.setAutoCommit(true);
    // A local file never goes stale; keep connections (and their page caches) for the store's life.
    h.setMaxLifetime(0);
    h.setIdleTimeout(0);
    return h;
  }

  private static void migrate(SQLiteDataSource ds) {
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration/sqlite")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreException("SQLite schema migration failed: " + e.getMessage(), e);
    }
  }

  @Override
  boolean isTransient(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
  }

  // In-process SQLite has no round trips, so the hot path is plain prepared statements; executeBatch
  // binds and steps every row in one native call and reports each row's change count.

  @Override
  boolean[] insertBatchRows(Connection c, List<BatchRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        INSERT_BATCH + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (BatchRow r : rows) {
        ps.setString(1, r.meteringRecordId());
        ps.setLong(2, r.hour().getEpochSecond());
        ps.setString(3, r.productCode());
        ps.setString(4, r.customerKey());
        ps.setString(5, r.dimension());
        ps.setLong(6, r.timestamp().toEpochMilli());
        ps.setInt(7, r.quantity());
        ps.setString(8, r.allocations());
        ps.setString(9, r.fingerprint());
        ps.setString(10, r.licenseArnOrNull());
        ps.setString(11, r.callerAccountId());
        ps.setLong(12, r.receivedAt().toEpochMilli());
        ps.addBatch();
      }
      return inserted(ps.executeBatch());
    }
  }

  @Override
  Map<Keys.Batch, Keys.Existing> findBatchRows(Connection c, List<BatchRow> rows) throws SQLException {
    Map<Keys.Batch, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, fingerprint FROM batch_usage "
        + "WHERE hour = ? AND product_code = ? AND customer_key = ? AND dimension = ?")) {
      for (BatchRow r : rows) {
        Keys.Batch k = Keys.Batch.of(r);
        ps.setLong(1, k.hour());
        ps.setString(2, k.productCode());
        ps.setString(3, k.customerKey());
        ps.setString(4, k.dimension());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found.put(k, new Keys.Existing(rs.getString(1), rs.getString(2), ""));
          }
        }
      }
    }
    return found;
  }

  @Override
  boolean[] insertMeterRows(Connection c, List<MeterRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        INSERT_METER + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (MeterRow r : rows) {
        ps.setString(1, r.meteringRecordId());
        ps.setLong(2, r.hour().getEpochSecond());
        ps.setString(3, r.callerIdentity());
        ps.setString(4, r.callerAccountId());
        ps.setString(5, r.productCode());
        ps.setString(6, r.dimension());
        ps.setLong(7, r.timestamp().toEpochMilli());
        ps.setInt(8, r.quantity());
        ps.setString(9, r.allocations());
        ps.setString(10, r.fingerprint());
        ps.setString(11, r.clientTokenOrNull());
        ps.setString(12, r.requestFingerprint());
        ps.setLong(13, r.receivedAt().toEpochMilli());
        ps.addBatch();
      }
      return inserted(ps.executeBatch());
    }
  }

  @Override
  Map<Keys.Hour, Keys.Existing> findMeterRowsByHour(Connection c, List<MeterRow> rows) throws SQLException {
    Map<Keys.Hour, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, fingerprint, request_fingerprint FROM meter_usage "
        + "WHERE hour = ? AND caller_identity = ? AND product_code = ? AND dimension = ?")) {
      for (MeterRow r : rows) {
        Keys.Hour k = Keys.Hour.of(r);
        ps.setLong(1, k.hour());
        ps.setString(2, k.callerIdentity());
        ps.setString(3, k.productCode());
        ps.setString(4, k.dimension());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found.put(k, new Keys.Existing(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
    }
    return found;
  }

  @Override
  Map<Keys.Token, Keys.Existing> findMeterRowsByToken(Connection c, List<MeterRow> rows) throws SQLException {
    Map<Keys.Token, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, fingerprint, request_fingerprint, 0 FROM meter_usage "
        + "WHERE caller_account_id = ? AND client_token = ? UNION ALL "
        + "SELECT metering_record_id, '', request_fingerprint, 1 FROM meter_usage_token "
        + "WHERE caller_account_id = ? AND client_token = ? ORDER BY 4")) {
      for (MeterRow r : rows) {
        Keys.Token k = Keys.Token.of(r);
        if (k == null) {
          continue;
        }
        ps.setString(1, k.callerAccountId());
        ps.setString(2, k.clientToken());
        ps.setString(3, k.callerAccountId());
        ps.setString(4, k.clientToken());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found.put(k, new Keys.Existing(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
    }
    return found;
  }

  private static boolean[] inserted(int[] counts) {
    boolean[] out = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] > 0;
    }
    return out;
  }
}

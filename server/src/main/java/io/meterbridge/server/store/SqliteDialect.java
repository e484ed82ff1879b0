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
 * The embedded store: one SQLite file in WAL mode. Every metering commit reaches the disk before its
 * callers hear back: the writer commits with {@code synchronous=NORMAL} and {@link WalSync} flushes
 * the WAL on the completion thread; every other connection commits with {@code synchronous=FULL}.
 * One writer connection (SQLite admits one writer at a time anyway) fed by group commit; a
 * small pool for reads and catalog writes, which WAL lets run beside the writer.
 */
final class SqliteDialect implements Dialect {
  static final String FILE_NAME = "meterbridge.db";
  /** The audit trail's own file: its batches never take the metering database's write lock. */
  static final String AUDIT_FILE_NAME = "audit.db";
  private static final int AUDIT_POOL_SIZE = 2;
  private static final int BUSY_TIMEOUT_MS = 30_000;
  /**
   * The writer's page cache, in KiB (a negative {@code cache_size}): enough for the pages one group
   * commit dirties (up to ~1,600 spread rows, a page each), and no more. Reads of other pages go
   * through the memory map below. Measured with 200,000 customers and spread keys after a 30 s
   * warm-up, before the WalCheckpointer existed (the writer then checkpointed after nearly every
   * spread group): 256 MB gave 65,700 records/s, 32 MB 79,700, 16 MB 94,100 and 8 MB 90,500; SQLite
   * walked the whole cache after those checkpoints (profiled: 29 % of the writer's time in one
   * page-cache loop at 256 MB). Not remeasured with the checkpointer.
   */
  static final int WRITER_CACHE_KIB = 16 * 1024;
  /**
   * Reads through a memory map of up to this many bytes: a page not in the cache costs a page fault
   * served from the kernel's page cache instead of a {@code read} into a copy. Address space, not
   * memory: the mapped pages are the kernel's file cache, shared and reclaimable.
   */
  static final long MMAP_BYTES = 4L << 30;

  /** Where the checkpointer connects: the metering database, on a connection of its own. */
  private final SQLiteDataSource checkpoints;
  private final Path file;

  private SqliteDialect(SQLiteDataSource checkpoints, Path file) {
    this.checkpoints = checkpoints;
    this.file = file;
  }

  /** Opens (creating and migrating) the database under the config's data directory. */
  static JdbcStore open(StoreConfig config) {
    Path dir = config.dataDir().orElseThrow();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + dir + ": " + Stores.reason(e)
          + "; create it, or choose another data directory (--data)", e);
    }
    // WAL mode creates files next to the database even when the database itself is writable; a
    // directory that refuses them would fail inside the migration library with a page of output.
    try {
      Files.delete(Files.createTempFile(dir, ".meterbridge-", ".probe"));
    } catch (IOException e) {
      throw new StoreException("the data directory " + dir + " is not writable (" + Stores.reason(e)
          + "); make it writable for this user, or choose another data directory (--data)", e);
    }
    Path file = dir.resolve(FILE_NAME).toAbsolutePath();
    String url = "jdbc:sqlite:" + file;
    String auditUrl = "jdbc:sqlite:" + dir.resolve(AUDIT_FILE_NAME).toAbsolutePath();
    HikariDataSource pool = null;
    HikariDataSource writer = null;
    HikariDataSource audit = null;
    try {
      // Migrate on connections of their own, outside the pools: Flyway leaves SQLite connections in
      // transaction states a pooled connection must not inherit. The audit file first, so that rows
      // an older version kept in the metering database can move there before its V6 drops them.
      SQLiteDataSource auditMigration = dataSource(auditUrl, 2_000, SQLiteConfig.TransactionMode.DEFERRED,
          SQLiteConfig.SynchronousMode.NORMAL);
      migrate(auditMigration, "classpath:db/audit/sqlite", "audit");
      if (Files.exists(file)) {
        moveAuditRows(auditMigration, file);
      }
      migrate(dataSource(url, 2_000, SQLiteConfig.TransactionMode.DEFERRED, SQLiteConfig.SynchronousMode.FULL),
          "classpath:db/migration/sqlite", "schema");
      pool = new HikariDataSource(hikari("meterbridge-sqlite-pool", dataSource(url, 2_000), config.poolSize()));
      // The writer's page cache holds a group's dirty pages; see WRITER_CACHE_KIB.
      // NORMAL: the writer's commit does not wait for the disk; WalSync flushes the WAL before any
      // caller of the commit hears back (see commitSync).
      SQLiteDataSource writerSource = dataSource(url, -WRITER_CACHE_KIB, SQLiteConfig.TransactionMode.IMMEDIATE,
          SQLiteConfig.SynchronousMode.NORMAL);
      // Only the writer thread uses this connection (and sqlite-jdbc serialises calls on a
      // connection anyway), so SQLite's own per-call mutex is pure cost: ~6 % of its instructions
      // a stored row (bench/sqlite-row-cost.sh).
      writerSource.getConfig().setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
      HikariConfig writerConfig = hikari("meterbridge-sqlite-writer", writerSource, 1);
      // Checkpoints are the WalCheckpointer's; the writer's own only bound the WAL if it falls behind.
      writerConfig.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + WalCheckpointer.WRITER_AUTOCHECKPOINT_PAGES);
      writer = new HikariDataSource(writerConfig);
      // NORMAL: in WAL mode a commit is not fsynced, so the audit costs no flush. A killed process
      // loses the entries still queued in memory (about the last 100 ms); a power loss may also
      // lose the audit's last commits; neither loses a record.
      audit = new HikariDataSource(hikari("meterbridge-sqlite-audit", dataSource(auditUrl, 2_000,
          SQLiteConfig.TransactionMode.IMMEDIATE, SQLiteConfig.SynchronousMode.NORMAL), AUDIT_POOL_SIZE));
      return new JdbcStore("meterbridge-sqlite", new SqliteDialect(existingFile(url), file), pool, writer, audit, config);
    } catch (RuntimeException e) {
      for (HikariDataSource ds : new HikariDataSource[] {audit, writer, pool}) {
        if (ds != null) {
          ds.close();
        }
      }
      throw e instanceof StoreException ? e
          : new StoreException("cannot open the SQLite database " + url + ": " + Stores.databaseReason(e), e);
    }
  }

  private static SQLiteDataSource dataSource(String url, int cachePages) {
    return dataSource(url, cachePages, SQLiteConfig.TransactionMode.IMMEDIATE, SQLiteConfig.SynchronousMode.FULL);
  }

  /**
   * @param sync FULL for the metering database's pool: in WAL mode it syncs the WAL on every
   *     commit, so an acknowledged write survives power loss; NORMAL for its writer, whose commits
   *     {@link WalSync} flushes before callers hear back
   */
  private static SQLiteDataSource dataSource(String url, int cachePages, SQLiteConfig.TransactionMode mode,
      SQLiteConfig.SynchronousMode sync) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    c.setSynchronous(sync);
    c.setBusyTimeout(BUSY_TIMEOUT_MS);
    c.enforceForeignKeys(true);
    // Take the write lock at BEGIN: a deferred transaction that upgrades later can fail with
    // SQLITE_BUSY_SNAPSHOT at once, without waiting for the busy timeout.
    c.setTransactionMode(mode);
    c.setCacheSize(cachePages);
    c.setTempStore(SQLiteConfig.TempStore.MEMORY);
    c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
    SQLiteDataSource ds = new SQLiteDataSource(c);
    ds.setUrl(url);
    return ds;
  }

  /** The metering database for the checkpointer: reconnecting must not create a file that vanished. */
  private static SQLiteDataSource existingFile(String url) {
    SQLiteDataSource ds = dataSource(url, 2_000);
    ds.getConfig().resetOpenMode(org.sqlite.SQLiteOpenMode.CREATE);
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

  private static void migrate(SQLiteDataSource ds, String location, String what) {
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations(location)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new StoreException("SQLite " + what + " migration failed: " + Stores.databaseReason(e), e);
    }
  }

  /**
   * Copies the audit rows a version before V6 kept in the metering database into the audit file.
   * Ids are kept and taken rows skipped, so a copy repeated after a crash (or next to an audit file
   * that already holds rows) adds each row once. The checkpoint makes the copy durable in the file
   * (the audit connections sync only at checkpoints) before V6 drops the old table.
   */
  private static void moveAuditRows(SQLiteDataSource audit, Path meteringFile) {
    String columns = "id, at_ms, request_id, operation, account_id, access_key_id, source, status, error_code, "
        + "records, latency_us";
    try (Connection c = audit.getConnection(); java.sql.Statement s = c.createStatement()) {
      s.execute("ATTACH DATABASE '" + meteringFile.toString().replace("'", "''") + "' AS metering");
      try {
        boolean old;
        try (ResultSet rs = s.executeQuery(
            "SELECT count(*) FROM metering.sqlite_master WHERE type = 'table' AND name = 'audit_call'")) {
          old = rs.next() && rs.getInt(1) > 0;
        }
        if (old) {
          s.executeUpdate("INSERT OR IGNORE INTO main.audit_call (" + columns + ") SELECT " + columns
              + " FROM metering.audit_call ORDER BY id");
        }
      } finally {
        s.execute("DETACH DATABASE metering");
      }
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      throw new StoreException("cannot move the audit trail into " + AUDIT_FILE_NAME + " (" + e.getMessage()
          + "); if the disk is full, make room: the copy needs about the old trail's size again", e);
    }
  }

  @Override
  public GroupCommitter.CommitSync commitSync() {
    return new WalSync(file);
  }

  @Override
  public AutoCloseable startUpkeep(String name) {
    return new WalCheckpointer(name, checkpoints);
  }

  @Override
  public boolean isTransient(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
  }

  /*
   * A full disk (or a file that may not grow: max_page_count) is SQLITE_FULL; SQLite rolls the
   * statement or the transaction back, and the next write succeeds once there is room. Not worth
   * retrying within the call: room does not appear in milliseconds. A batch's failure may arrive
   * without its code (BatchUpdateException), so its message, which sqlite-jdbc starts with the code's
   * name, counts too.
   */
  @Override
  public java.util.Optional<String> unavailability(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        int primary = s.getErrorCode() & 0xff;
        String message = String.valueOf(s.getMessage());
        if (primary == SQLiteErrorCode.SQLITE_FULL.code || message.contains("[SQLITE_FULL]")) {
          return java.util.Optional.of("the disk is full");
        }
        if (primary == SQLiteErrorCode.SQLITE_IOERR.code || message.contains("[SQLITE_IOERR")) {
          return java.util.Optional.of("the database file cannot be written (I/O error)");
        }
      }
    }
    return java.util.Optional.empty();
  }

  // In-process SQLite has no round trips, so the hot path is plain prepared statements; executeBatch
  // binds and steps every row in one native call and reports each row's change count.

  /*
   * Rows go in key order: consecutive inserts then visit neighbouring index pages, which are in the
   * cache from the insert before, instead of jumping across the index. A round has no two rows with
   * the same key (MeteringWriter), so the order decides nothing about who wins; it only makes the
   * rows of one group take their seq in key order rather than arrival order, as on PostgreSQL.
   */

  @Override
  public <R> boolean[] insert(Connection c, Table<R> table, List<R> rows) throws SQLException {
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    table.keyOrder().ifPresent(k -> java.util.Arrays.sort(order, (a, b) -> k.compare(rows.get(a), rows.get(b))));
    try (PreparedStatement ps = c.prepareStatement(table.insert() + " ON CONFLICT DO NOTHING")) {
      for (Integer i : order) {
        table.bind(ps, 1, rows.get(i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      boolean[] inserted = new boolean[counts.length];
      for (int i = 0; i < counts.length; i++) {
        inserted[order[i]] = counts[i] > 0;
      }
      return inserted;
    }
  }

  /** One writer a file: the next seqs are the ones after the highest stored, including this group's. */
  @Override
  public long[] callSeqs(Connection c, int count) throws SQLException {
    long last;
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM batch_call");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      last = rs.getLong(1);
    }
    long[] seqs = new long[count];
    for (int i = 0; i < count; i++) {
      seqs[i] = last + 1 + i;
    }
    return seqs;
  }

  @Override
  public Map<String, Integer> internNames(Connection c, List<String> names) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO key_name (name) VALUES (?) ON CONFLICT DO NOTHING")) {
      for (String name : names) {
        ps.setString(1, name);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    Map<String, Integer> ids = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM key_name WHERE name = ?")) {
      for (String name : names) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          ids.put(name, rs.getInt(1));
        }
      }
    }
    return ids;
  }

  @Override
  public <K> Map<K, Keys.Existing> find(Connection c, Table<K> key, String existing, List<K> keys)
      throws SQLException {
    Map<K, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + existing + " FROM " + key.name() + " WHERE " + key.matches())) {
      for (K k : keys) {
        key.bind(ps, 1, k);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found.put(k, new Keys.Existing(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
    }
    return found;
  }
}

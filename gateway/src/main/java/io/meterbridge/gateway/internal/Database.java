package io.meterbridge.gateway.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.meterbridge.gateway.GatewayException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;

/**
 * The gateway's database: SQLite in {@code <data>/gateway.db} (one process, which holds a lock file)
 * or PostgreSQL (any number of processes). Durable commits on both: SQLite in WAL mode with {@code
 * synchronous=FULL}, PostgreSQL with {@code synchronous_commit=on}. Two pools: one connection for the
 * ingest writer, a few for everything else. Migrations by Flyway, in a history table of their own
 * ({@code gateway_schema_history}), so a gateway may share a PostgreSQL schema with a server.
 */
final class Database implements AutoCloseable {
  enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  static final String SQLITE_FILE = "gateway.db";
  private static final int MAX_ATTEMPTS = 5;
  private static final int BUSY_TIMEOUT_MS = 30_000;

  private final Dialect dialect;
  private final HikariDataSource pool;
  private final HikariDataSource writer;
  private final FileChannel lockChannel;
  private final String description;

  private Database(Dialect dialect, HikariDataSource pool, HikariDataSource writer, FileChannel lockChannel,
      String description) {
    this.dialect = dialect;
    this.pool = pool;
    this.writer = writer;
    this.lockChannel = lockChannel;
    this.description = description;
  }

  /** Opens {@code <dataDir>/gateway.db}, refusing if another process has it open. */
  static Database sqlite(Path dataDir, int poolSize) {
    FileChannel lock = null;
    HikariDataSource pool = null;
    try {
      Files.createDirectories(dataDir);
      lock = FileChannel.open(dataDir.resolve(SQLITE_FILE + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = lock.tryLock();
      } catch (OverlappingFileLockException e) {
        held = null;
      }
      if (held == null) {
        throw new GatewayException("another gateway has " + dataDir.resolve(SQLITE_FILE) + " open; a SQLite gateway"
            + " runs in one process (use PostgreSQL for several)");
      }
      String url = "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath();
      migrate(Flyway.configure().dataSource(sqliteSource(url, 2_000, SQLiteConfig.TransactionMode.DEFERRED))
          .locations("classpath:db/gateway/sqlite"));
      // Page caches (4 KB pages) are native memory beside the heap: 8 MB for each reader, 64 MB for
      // the writer, which holds the current hours' records and the tail of the event table.
      pool = new HikariDataSource(sqliteHikari("gateway-sqlite-pool", sqliteSource(url, 2_000,
          SQLiteConfig.TransactionMode.IMMEDIATE), poolSize));
      HikariDataSource writer = new HikariDataSource(sqliteHikari("gateway-sqlite-writer",
          sqliteSource(url, 16_000, SQLiteConfig.TransactionMode.IMMEDIATE), 1));
      return new Database(Dialect.SQLITE, pool, writer, lock, "SQLite " + dataDir.resolve(SQLITE_FILE));
    } catch (IOException e) {
      closeQuietly(lock);
      throw new GatewayException("cannot open the data directory " + dataDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      closeQuietly(lock);
      throw e;
    }
  }

  /**
   * Opens a PostgreSQL database; {@code schema}, or else the URL's {@code currentSchema}, isolates the
   * gateway's tables and is created if missing.
   */
  static Database postgres(String jdbcUrl, Optional<String> schema, int poolSize) {
    HikariDataSource pool = null;
    Optional<String> tables = schema.or(() -> currentSchema(jdbcUrl));
    try {
      pool = new HikariDataSource(postgresHikari("gateway-postgres-pool", jdbcUrl, schema, poolSize));
      FluentConfiguration flyway = Flyway.configure().dataSource(pool).locations("classpath:db/gateway/postgresql");
      tables.ifPresent(s -> flyway.schemas(s).defaultSchema(s).createSchemas(true));
      migrateWithRetry(flyway);
      HikariDataSource writer = new HikariDataSource(postgresHikari("gateway-postgres-writer", jdbcUrl, schema, 1));
      return new Database(Dialect.POSTGRESQL, pool, writer, null,
          "PostgreSQL " + jdbcUrl.replaceAll("password=[^&]*", "password=***") + schema.map(s -> " schema " + s).orElse(""));
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw e instanceof GatewayException ? e : new GatewayException("cannot open PostgreSQL at "
          + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ": " + e.getMessage(), e);
    }
  }

  /** The {@code currentSchema} parameter of a PostgreSQL URL (its first schema), if any. */
  static Optional<String> currentSchema(String jdbcUrl) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]currentSchema=([a-z_][a-z0-9_]*)")
        .matcher(jdbcUrl);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Several gateways started at once on a new database race to create its schema before Flyway's
   * lock guards the migration: whoever loses tries again and finds the work done.
   */
  private static void migrateWithRetry(FluentConfiguration flyway) {
    for (int attempt = 1; ; attempt++) {
      try {
        migrate(flyway);
        return;
      } catch (GatewayException e) {
        if (attempt == 3) {
          throw e;
        }
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static void migrate(FluentConfiguration flyway) {
    try {
      flyway.table("gateway_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
    } catch (RuntimeException e) {
      throw new GatewayException("gateway schema migration failed: " + e.getMessage(), e);
    }
  }

  private static SQLiteDataSource sqliteSource(String url, int cachePages, SQLiteConfig.TransactionMode mode) {
    SQLiteConfig c = new SQLiteConfig();
    c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL in WAL mode syncs the WAL on every commit: an accepted event survives power loss.
    c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    c.setBusyTimeout(BUSY_TIMEOUT_MS);
    c.setTransactionMode(mode);
    c.setCacheSize(cachePages);
    c.setTempStore(SQLiteConfig.TempStore.MEMORY);
    SQLiteDataSource ds = new SQLiteDataSource(c);
    ds.setUrl(url);
    return ds;
  }

  private static HikariConfig sqliteHikari(String name, SQLiteDataSource ds, int size) {
    HikariConfig h = new HikariConfig();
    h.setPoolName(name);
    h.setDataSource(ds);
    h.setMaximumPoolSize(size);
    h.setMinimumIdle(1);
    // sqlite-jdbc begins a transaction as soon as auto-commit is off; with IMMEDIATE that would hold
    // the write lock while idle. Connections rest in auto-commit.
    h.setAutoCommit(true);
    h.setMaxLifetime(0);
    h.setIdleTimeout(0);
    return h;
  }

  private static HikariConfig postgresHikari(String name, String url, Optional<String> schema, int size) {
    HikariConfig h = new HikariConfig();
    h.setPoolName(name);
    h.setJdbcUrl(url);
    schema.ifPresent(h::setSchema);
    h.setMaximumPoolSize(size);
    h.setConnectionInitSql("SET synchronous_commit = on");
    h.addDataSourceProperty("ApplicationName", "meterbridge-gateway");
    return h;
  }

  Dialect dialect() {
    return dialect;
  }

  boolean sqlite() {
    return dialect == Dialect.SQLITE;
  }

  /** A connection of the shared pool, in auto-commit: for reads. */
  Connection readConnection() throws SQLException {
    return pool.getConnection();
  }

  /** The writer's connection pool (one connection). */
  HikariDataSource writer() {
    return writer;
  }

  String description() {
    return description;
  }

  /** Whether retrying the whole transaction may succeed. */
  boolean isTransient(SQLException e) {
    if (dialect == Dialect.SQLITE) {
      int primary = e.getErrorCode() & 0xff;
      return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
    }
    String state = e.getSQLState();
    return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08"));
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in a transaction of the shared pool, retrying transient failures. */
  <T> T inTransaction(String what, Work<T> work) {
    return inTransaction(pool, what, work);
  }

  <T> T inTransaction(HikariDataSource source, String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = source.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && isTransient(e)) {
          continue;
        }
        throw new GatewayException(what + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** Rows of a query on a pooled connection, outside any transaction. */
  <T> List<T> query(String sql, RowReader<T> reader, Object... args) {
    try (Connection c = pool.getConnection()) {
      return query(c, sql, reader, args);
    } catch (SQLException e) {
      throw new GatewayException("query failed: " + e.getMessage(), e);
    }
  }

  static <T> List<T> query(Connection c, String sql, RowReader<T> reader, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  @Override
  public void close() {
    writer.close();
    pool.close();
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close(); // releases the lock
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}

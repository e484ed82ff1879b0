package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The production store on PostgreSQL. Several server processes may share one database: dedup rests
 * on the unique keys, and each group goes to the server as set-based statements over arrays
 * ({@code unnest}), so a group of any size costs a few round trips, not one per row.
 */
final class PostgresDialect implements Dialect {
  private static final System.Logger LOG = System.getLogger(PostgresDialect.class.getName());

  private final StoreConfig config;

  private PostgresDialect(StoreConfig config) {
    this.config = config;
  }

  /** Opens (and migrates) the database at the config's JDBC URL. */
  static JdbcStore open(StoreConfig config) {
    HikariDataSource pool = null;
    HikariDataSource writer = null;
    try {
      pool = new HikariDataSource(hikari(config, "meterbridge-postgres-pool", config.poolSize()));
      migrate(pool, config);
      writer = new HikariDataSource(hikari(config, "meterbridge-postgres-writer", 1));
      warnIfNotDurable(pool);
      return new JdbcStore("meterbridge-postgres", new PostgresDialect(config), pool, writer, null, config);
    } catch (RuntimeException e) {
      if (writer != null) {
        writer.close();
      }
      if (pool != null) {
        pool.close();
      }
      throw e instanceof StoreException
          ? e
          : new StoreException("cannot open the PostgreSQL database at " + config.jdbcUrl().orElseThrow() + ": "
              + Stores.databaseReason(e), e);
    }
  }

  private static HikariConfig hikari(StoreConfig config, String name, int size) {
    HikariConfig h = new HikariConfig();
    h.setPoolName(name);
    h.setJdbcUrl(config.jdbcUrl().orElseThrow());
    config.user().ifPresent(h::setUsername);
    config.password().ifPresent(h::setPassword);
    config.schema().ifPresent(h::setSchema);
    h.setMaximumPoolSize(size);
    // Whatever the server's default, our commits wait for the WAL flush: an acknowledged write is durable.
    h.setConnectionInitSql("SET synchronous_commit = on");
    h.addDataSourceProperty("ApplicationName", "meterbridge");
    // When PostgreSQL is down or restarting, a caller waits for at most a few attempts of this long
    // (see Jdbc) instead of the pool's default 30 s each. A read that hears nothing for two minutes
    // is on a connection that is gone (a half-open TCP connection never errs by itself).
    h.setConnectionTimeout(5_000);
    h.addDataSourceProperty("connectTimeout", "5");
    h.addDataSourceProperty("socketTimeout", "120");
    h.addDataSourceProperty("tcpKeepAlive", "true");
    return h;
  }

  private static void migrate(HikariDataSource ds, StoreConfig config) {
    try {
      FluentConfiguration f = Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql");
      config.schema().ifPresent(s -> f.schemas(s).defaultSchema(s).createSchemas(true));
      f.load().migrate();
    } catch (RuntimeException e) {
      throw new StoreException("PostgreSQL schema migration failed: " + Stores.databaseReason(e), e);
    }
  }

  private static void warnIfNotDurable(HikariDataSource ds) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW fsync")) {
      if (rs.next() && !"on".equals(rs.getString(1))) {
        LOG.log(Level.WARNING, "PostgreSQL runs with fsync=" + rs.getString(1)
            + ": committed metering records can be lost on a crash");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot query PostgreSQL settings: " + e.getMessage(), e);
    }
  }

  @Override
  public void announceCatalogChange(Connection c) throws SQLException {
    // Delivered at commit to every session listening on the channel, this process's own included.
    try (Statement s = c.createStatement()) {
      s.execute("NOTIFY " + PostgresCatalogWatch.CHANNEL);
    }
  }

  @Override
  public AutoCloseable watchCatalog(Runnable changed) {
    return PostgresCatalogWatch.start(config, changed);
  }

  @Override
  public boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure, 40P01 deadlock (two processes inserting overlapping keys), 08xxx
    // connection lost, 57P01-03 the backend terminated (pg_terminate_backend, a shutdown or crash)
    // or the server still starting: the group is rolled back or never committed, and dedup makes
    // the retry safe even when a commit went through unconfirmed.
    return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08")
        || state.startsWith("57P0"));
  }

  @Override
  public java.util.Optional<String> unavailability(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return java.util.Optional.empty();
    }
    if (state.startsWith("08") || state.startsWith("57P0")) {
      return java.util.Optional.of("the connection to PostgreSQL was lost or refused");
    }
    return switch (state) {
      case "53100" -> java.util.Optional.of("the database's disk is full");
      case "53200" -> java.util.Optional.of("PostgreSQL is out of memory");
      case "53300" -> java.util.Optional.of("PostgreSQL has no connection slot left");
      default -> java.util.Optional.empty();
    };
  }

  /*
   * Rows are sent in key order: two processes inserting overlapping keys then take the index locks
   * in the same order, which avoids most deadlocks (the rest are retried).
   */

  @Override
  public <R> boolean[] insert(Connection c, Table<R> table, List<R> rows) throws SQLException {
    List<R> sorted = rows;
    if (table.keyOrder().isPresent()) {
      sorted = new ArrayList<>(rows);
      sorted.sort(table.keyOrder().get());
    }
    Set<Object> stored = new HashSet<>();
    String identity = table.identity();
    try (PreparedStatement ps = c.prepareStatement(
        table.insertUnnest() + " ON CONFLICT DO NOTHING RETURNING " + identity)) {
      table.bindArrays(c, ps, 1, sorted);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getObject(1));
        }
      }
    }
    boolean[] inserted = new boolean[rows.size()];
    for (int i = 0; i < inserted.length; i++) {
      inserted[i] = stored.contains(table.value(identity, rows.get(i)));
    }
    return inserted;
  }

  /** From the table's own sequence: several processes' writers never share a seq. */
  @Override
  public long[] callSeqs(Connection c, int count) throws SQLException {
    long[] seqs = new long[count];
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT nextval('batch_call_seq') FROM generate_series(1, ?) ORDER BY 1")) {
      ps.setInt(1, count);
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < count; i++) {
          rs.next();
          seqs[i] = rs.getLong(1);
        }
      }
    }
    return seqs;
  }

  /*
   * Names go in sorted order, so two processes adding overlapping names lock them in the same order.
   * One statement both adds and answers: the conflict check runs on the unique index of name (the
   * arbiter), and a name another process added meanwhile waits for that process, then comes back
   * with its id through the no-op update. A separate SELECT ... WHERE name = ANY(?) did the same in
   * two statements, but its cached generic plan could scan the table: planned while key_name was
   * nearly empty, it took ~1 s a group once 400,000 names were in it (measured: 621 records/s).
   */

  @Override
  public Map<String, Integer> internNames(Connection c, List<String> names) throws SQLException {
    String[] sorted = names.toArray(String[]::new);
    java.util.Arrays.sort(sorted);
    Map<String, Integer> ids = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO key_name (name) SELECT * FROM unnest(?::text[]) "
        + "ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING name, id")) {
      ps.setArray(1, c.createArrayOf("text", sorted));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return ids;
  }

  @Override
  public <K> Map<K, Keys.Existing> find(Connection c, Table<K> key, String existing, List<K> keys)
      throws SQLException {
    Map<K, Keys.Existing> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + key.columns() + ", " + existing + " FROM "
        + key.unnest() + " AS k(" + key.columns() + ") JOIN " + key.name() + " USING (" + key.columns() + ")")) {
      key.bindArrays(c, ps, 1, keys);
      try (ResultSet rs = ps.executeQuery()) {
        int n = key.size();
        while (rs.next()) {
          found.put(key.read(rs, 1),
              new Keys.Existing(rs.getString(n + 1), rs.getString(n + 2), rs.getString(n + 3)));
        }
      }
    }
    return found;
  }
}

package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
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
final class PostgresStore extends JdbcStore {
  private static final System.Logger LOG = System.getLogger(PostgresStore.class.getName());

  private PostgresStore(HikariDataSource pool, HikariDataSource writer, StoreConfig config) {
    super("meterbridge-postgres", pool, writer, config);
  }

  static PostgresStore open(StoreConfig config) {
    HikariDataSource pool = null;
    HikariDataSource writer = null;
    try {
      pool = new HikariDataSource(hikari(config, "meterbridge-postgres-pool", config.poolSize()));
      migrate(pool, config);
      writer = new HikariDataSource(hikari(config, "meterbridge-postgres-writer", 1));
      warnIfNotDurable(pool);
      return new PostgresStore(pool, writer, config);
    } catch (RuntimeException e) {
      if (writer != null) {
        writer.close();
      }
      if (pool != null) {
        pool.close();
      }
      throw e instanceof StoreException
          ? e
          : new StoreException("cannot open PostgreSQL store at " + config.jdbcUrl().orElseThrow() + ": " + e, e);
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
    return h;
  }

  private static void migrate(HikariDataSource ds, StoreConfig config) {
    try {
      FluentConfiguration f = Flyway.configure().dataSource(ds).locations("classpath:db/migration/postgresql");
      config.schema().ifPresent(s -> f.schemas(s).defaultSchema(s).createSchemas(true));
      f.load().migrate();
    } catch (RuntimeException e) {
      throw new StoreException("PostgreSQL schema migration failed: " + e.getMessage(), e);
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
  boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialization failure, 40P01 deadlock (two processes inserting overlapping keys), 08xxx
    // connection lost: the group is rolled back or never committed; dedup makes the retry safe.
    return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("08"));
  }

  /*
   * Rows are sent in key order: two processes inserting overlapping keys then take the index locks
   * in the same order, which avoids most deadlocks (the rest are retried).
   */

  @Override
  boolean[] insertBatchRows(Connection c, List<BatchRow> rows) throws SQLException {
    BatchRow[] sorted = rows.toArray(BatchRow[]::new);
    Arrays.sort(sorted, Comparator.comparing(Keys.Batch::of));
    int n = sorted.length;
    String[] id = new String[n];
    Long[] hour = new Long[n];
    String[] product = new String[n];
    String[] customer = new String[n];
    String[] dimension = new String[n];
    Long[] time = new Long[n];
    Integer[] quantity = new Integer[n];
    String[] allocations = new String[n];
    String[] fingerprint = new String[n];
    String[] license = new String[n];
    String[] caller = new String[n];
    Long[] received = new Long[n];
    for (int i = 0; i < n; i++) {
      BatchRow r = sorted[i];
      id[i] = r.meteringRecordId();
      hour[i] = r.hour().getEpochSecond();
      product[i] = r.productCode();
      customer[i] = r.customerKey();
      dimension[i] = r.dimension();
      time[i] = r.timestamp().toEpochMilli();
      quantity[i] = r.quantity();
      allocations[i] = r.allocations();
      fingerprint[i] = r.fingerprint();
      license[i] = r.licenseArnOrNull();
      caller[i] = r.callerAccountId();
      received[i] = r.receivedAt().toEpochMilli();
    }
    Set<String> stored = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH + " SELECT * FROM unnest("
        + "?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int4[], ?::text[], ?::text[], "
        + "?::text[], ?::text[], ?::int8[]) ON CONFLICT DO NOTHING RETURNING id")) {
      bind(c, ps, id, hour, product, customer, dimension, time, quantity, allocations, fingerprint, license,
          caller, received);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
    }
    boolean[] out = new boolean[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = stored.contains(rows.get(i).meteringRecordId());
    }
    return out;
  }

  @Override
  Map<Keys.Batch, Keys.Existing> findBatchRows(Connection c, List<BatchRow> rows) throws SQLException {
    int n = rows.size();
    Long[] hour = new Long[n];
    String[] product = new String[n];
    String[] customer = new String[n];
    String[] dimension = new String[n];
    for (int i = 0; i < n; i++) {
      Keys.Batch k = Keys.Batch.of(rows.get(i));
      hour[i] = k.hour();
      product[i] = k.productCode();
      customer[i] = k.customerKey();
      dimension[i] = k.dimension();
    }
    Map<Keys.Batch, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT b.hour, b.product_code, b.customer_key, b.dimension, "
        + "b.id, b.fingerprint FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[]) "
        + "AS k(hour, product_code, customer_key, dimension) "
        + "JOIN batch_usage b USING (hour, product_code, customer_key, dimension)")) {
      bind(c, ps, hour, product, customer, dimension);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new Keys.Batch(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
              new Keys.Existing(rs.getString(5), rs.getString(6), ""));
        }
      }
    }
    return found;
  }

  @Override
  boolean[] insertMeterRows(Connection c, List<MeterRow> rows) throws SQLException {
    MeterRow[] sorted = rows.toArray(MeterRow[]::new);
    Arrays.sort(sorted, Comparator.comparing(Keys.Hour::of));
    int n = sorted.length;
    String[] id = new String[n];
    Long[] hour = new Long[n];
    String[] identity = new String[n];
    String[] account = new String[n];
    String[] product = new String[n];
    String[] dimension = new String[n];
    Long[] time = new Long[n];
    Integer[] quantity = new Integer[n];
    String[] allocations = new String[n];
    String[] fingerprint = new String[n];
    String[] token = new String[n];
    String[] requestFingerprint = new String[n];
    Long[] received = new Long[n];
    for (int i = 0; i < n; i++) {
      MeterRow r = sorted[i];
      id[i] = r.meteringRecordId();
      hour[i] = r.hour().getEpochSecond();
      identity[i] = r.callerIdentity();
      account[i] = r.callerAccountId();
      product[i] = r.productCode();
      dimension[i] = r.dimension();
      time[i] = r.timestamp().toEpochMilli();
      quantity[i] = r.quantity();
      allocations[i] = r.allocations();
      fingerprint[i] = r.fingerprint();
      token[i] = r.clientTokenOrNull();
      requestFingerprint[i] = r.requestFingerprint();
      received[i] = r.receivedAt().toEpochMilli();
    }
    Set<String> stored = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(INSERT_METER + " SELECT * FROM unnest("
        + "?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::int4[], ?::text[], "
        + "?::text[], ?::text[], ?::text[], ?::int8[]) ON CONFLICT DO NOTHING RETURNING id")) {
      bind(c, ps, id, hour, identity, account, product, dimension, time, quantity, allocations, fingerprint,
          token, requestFingerprint, received);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
    }
    boolean[] out = new boolean[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = stored.contains(rows.get(i).meteringRecordId());
    }
    return out;
  }

  @Override
  Map<Keys.Hour, Keys.Existing> findMeterRowsByHour(Connection c, List<MeterRow> rows) throws SQLException {
    int n = rows.size();
    Long[] hour = new Long[n];
    String[] identity = new String[n];
    String[] product = new String[n];
    String[] dimension = new String[n];
    for (int i = 0; i < n; i++) {
      Keys.Hour k = Keys.Hour.of(rows.get(i));
      hour[i] = k.hour();
      identity[i] = k.callerIdentity();
      product[i] = k.productCode();
      dimension[i] = k.dimension();
    }
    Map<Keys.Hour, Keys.Existing> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT m.hour, m.caller_identity, m.product_code, "
        + "m.dimension, m.id, m.fingerprint, m.request_fingerprint "
        + "FROM unnest(?::int8[], ?::text[], ?::text[], ?::text[]) "
        + "AS k(hour, caller_identity, product_code, dimension) "
        + "JOIN meter_usage m USING (hour, caller_identity, product_code, dimension)")) {
      bind(c, ps, hour, identity, product, dimension);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new Keys.Hour(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)),
              new Keys.Existing(rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
    }
    return found;
  }

  @Override
  Map<Keys.Token, Keys.Existing> findMeterRowsByToken(Connection c, List<MeterRow> rows) throws SQLException {
    String[] account = rows.stream().filter(r -> r.clientTokenOrNull() != null)
        .map(MeterRow::callerAccountId).toArray(String[]::new);
    String[] token = rows.stream().map(MeterRow::clientTokenOrNull).filter(t -> t != null).toArray(String[]::new);
    Map<Keys.Token, Keys.Existing> found = new HashMap<>();
    if (token.length == 0) {
      return found;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT m.caller_account_id, m.client_token, m.id, "
        + "m.fingerprint, m.request_fingerprint, 0 AS rank FROM unnest(?::text[], ?::text[]) AS k(caller_account_id, client_token) "
        + "JOIN meter_usage m USING (caller_account_id, client_token) UNION ALL "
        + "SELECT t.caller_account_id, t.client_token, t.metering_record_id, '', t.request_fingerprint, 1 "
        + "FROM unnest(?::text[], ?::text[]) AS k(caller_account_id, client_token) "
        + "JOIN meter_usage_token t USING (caller_account_id, client_token) ORDER BY rank")) {
      bind(c, ps, account, token, account, token);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.putIfAbsent(new Keys.Token(rs.getString(1), rs.getString(2)),
              new Keys.Existing(rs.getString(3), rs.getString(4), rs.getString(5)));
        }
      }
    }
    return found;
  }

  private static void bind(Connection c, PreparedStatement ps, Object[]... columns) throws SQLException {
    for (int i = 0; i < columns.length; i++) {
      Object[] col = columns[i];
      String type = col instanceof Long[] ? "int8" : col instanceof Integer[] ? "int4" : "text";
      Array array = c.createArrayOf(type, col);
      ps.setArray(i + 1, array);
    }
  }
}

package io.meterbridge.server.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A connection pool and the few ways the store uses it: a query's rows, a transaction retried while
 * the database calls its failure transient, and batched statements. Every failure becomes a
 * {@link StoreException} that says what was being done.
 */
final class Jdbc implements AutoCloseable {
  private static final int MAX_ATTEMPTS = 5;
  private static final int BATCH = 1000;

  /** Reads one result row. */
  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Binds one item to a statement's parameters. */
  interface Binder<T> {
    void bind(PreparedStatement ps, T item) throws SQLException;
  }

  /** The work of one transaction. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final HikariDataSource pool;
  private final Predicate<SQLException> transientFailure;
  private final Function<SQLException, Optional<String>> unavailability;

  /** @param transientFailure whether retrying the whole transaction may succeed (deadlock, busy, lost connection) */
  Jdbc(HikariDataSource pool, Predicate<SQLException> transientFailure) {
    this(pool, transientFailure, e -> Optional.empty());
  }

  /**
   * @param transientFailure whether retrying the whole transaction may succeed (deadlock, busy, lost connection)
   * @param unavailability why the database is unavailable, when a failure says so (see {@link Dialect#unavailability})
   */
  Jdbc(HikariDataSource pool, Predicate<SQLException> transientFailure,
      Function<SQLException, Optional<String>> unavailability) {
    this.pool = pool;
    // The pool times out waiting for a connection the database will not give (it is down or restarting).
    this.transientFailure = e -> e instanceof SQLTransientConnectionException || transientFailure.test(e);
    this.unavailability = e -> e instanceof SQLTransientConnectionException && unavailability.apply(e).isEmpty()
        ? Optional.of("no connection to the database could be made") : unavailability.apply(e);
  }

  /** The rows of {@code table} that match {@code where} (with {@code args}), in its column order. */
  <T> List<T> select(Table<T> table, String where, Object... args) {
    return list(table.select() + " " + where, rs -> table.read(rs, 1), args);
  }

  <T> Optional<T> one(String sql, Reader<T> reader, Object... args) {
    List<T> rows = list(sql, reader, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /**
   * The rows of a query, read again (after a pause) while the failure is transient, at most five
   * times: a pooled connection the database has dropped fails its next use, and the pool then
   * hands out a fresh one.
   */
  <T> List<T> list(String sql, Reader<T> reader, Object... args) {
    for (Object a : args) {
      Require.present(a, "argument");
    }
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(reader.read(rs));
          }
        }
        return out;
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && transientFailure.test(e)) {
          pause(attempt);
          continue;
        }
        throw failure("query failed after " + attempt + " attempt(s): " + e.getMessage(), e);
      }
    }
  }

  /** Runs {@code work} in a transaction and commits it; see {@link #inTransaction(String, Work, Runnable)}. */
  <T> T inTransaction(String what, Work<T> work) {
    return inTransaction(what, work, () -> {});
  }

  /**
   * Runs {@code work} in a transaction and commits it, again from the start (after {@code
   * rolledBack}) while the failure is transient, at most five times.
   *
   * @param what names the work in the failure's message
   * @param rolledBack forgets what an attempt that was rolled back left behind
   * @throws StoreException if the work fails for good
   */
  <T> T inTransaction(String what, Work<T> work, Runnable rolledBack) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rolledBack.run();
          try {
            c.rollback();
          } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        } finally {
          // On a connection the database has dropped, or after SQLite rolled a full disk's
          // transaction back by itself, this fails too: it must not hide the failure that matters.
          try {
            c.setAutoCommit(true);
          } catch (SQLException ignored) {
            // the pool resets or discards the connection
          }
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && transientFailure.test(e)) {
          pause(attempt);
          continue;
        }
        throw failure(what + " failed after " + attempt + " attempt(s): " + e.getMessage(), e);
      }
    }
  }

  /** A {@link StoreUnavailableException} when the failure says the database is unavailable. */
  private StoreException failure(String message, SQLException e) {
    Optional<String> reason = unavailability.apply(e);
    return reason.isPresent()
        ? new StoreUnavailableException(reason.get(), message, e)
        : new StoreException(message, e);
  }

  /**
   * 50, 100, 200, 400 ms before attempts 2 to 5: together with the pool's connection timeout, long
   * enough to ride out a dropped connection or a failover, short enough that no caller waits long.
   */
  private static void pause(int attempt) {
    try {
      Thread.sleep(50L << (attempt - 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code sql} once per item as batched statements, a thousand at a time. */
  static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder) throws SQLException {
    if (items.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int n = 0;
      for (T item : items) {
        binder.bind(ps, item);
        ps.addBatch();
        if (++n % BATCH == 0) {
          ps.executeBatch();
        }
      }
      if (n % BATCH != 0) {
        ps.executeBatch();
      }
    }
  }

  /** The pool, for dialect checks in tests. */
  HikariDataSource pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}

package io.meterbridge.server.store;

import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit trail of a {@link Store}: {@link #offer} queues an entry without blocking, and one
 * thread of this log inserts whatever is queued, at most once per {@code interval}, as one
 * transaction of its own.
 *
 * <p>Where it writes: on SQLite, a file of its own beside the metering database ({@code audit.db},
 * {@code synchronous=NORMAL}), so that an audit batch never holds the metering database's one
 * write lock and never lengthens a metering group commit. Both were measured: a writer of its own
 * on the same file lost MeterUsage a quarter of its throughput to SQLite's lock (its busy handler
 * sleeps whole milliseconds), and batches inside the metering writer's group commit still cost it
 * 18 %, because every MeterUsage call adds an audit row to the group it waits for. On PostgreSQL the
 * table is in the metering database: rows lock one by one there, and ten commits a second are cheap.
 *
 * <p>The queue is bounded: when it is full (the database slower than the calls for long), entries
 * are dropped and counted ({@link #dropped()}), never the calls themselves. A batch that fails for
 * good is lost and counted ({@link #failed()}, logged). Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final int MAX_BATCH = 8192;
  private static final int PURGE_CHUNK = 10_000;
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final String COLUMNS = "at_ms, request_id, operation, account_id, access_key_id, source, status, "
      + "error_code, records, latency_us";
  private static final String INSERT = "INSERT INTO audit_call (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Jdbc jdbc;
  private final long intervalNanos;
  private final ArrayBlockingQueue<AuditEntry> queue;
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicInteger flushing = new AtomicInteger();
  private final Object progress = new Object();
  private final Thread thread;
  private volatile boolean closed;

  /** @param jdbc the connections of the database that holds {@code audit_call}: writes, lists and purges */
  AuditLog(String name, Jdbc jdbc, int capacity, Duration interval) {
    this.jdbc = jdbc;
    this.queue = new ArrayBlockingQueue<>(Require.positive(capacity, "capacity"));
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::run, name + "-audit");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues an entry; false (and counted in {@link #dropped()}) if the queue is full or the log closed. */
  public boolean offer(AuditEntry entry) {
    if (closed || !queue.offer(entry)) {
      dropped.incrementAndGet();
      return false;
    }
    offered.incrementAndGet();
    return true;
  }

  /** Blocks until every entry offered before this call is written (or failed), at most {@code timeout}. */
  public void flush(Duration timeout) {
    long target = offered.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    flushing.incrementAndGet();
    try {
      LockSupport.unpark(thread);
      synchronized (progress) {
        while (done.get() < target && thread.isAlive()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      flushing.decrementAndGet();
    }
  }

  /** Entries waiting for the writer. */
  public int queued() {
    return queue.size();
  }

  /** Entries dropped since the start because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Entries lost since the start because their commit failed for good (logged). */
  public long failed() {
    return failed.get();
  }

  /**
   * The entries matching {@code query}, newest first.
   *
   * @throws StoreException if the database cannot be read
   */
  public Page<AuditEntry> find(AuditQuery query) {
    StringBuilder sql = new StringBuilder("SELECT id, ").append(COLUMNS)
        .append(" FROM audit_call WHERE id < ? AND at_ms >= ? AND at_ms < ?");
    List<Object> args = new ArrayList<>(List.of(query.beforeId(), query.from().toEpochMilli(),
        query.to().toEpochMilli()));
    query.operation().ifPresent(o -> {
      sql.append(" AND operation = ?");
      args.add(o);
    });
    query.accountId().ifPresent(a -> {
      sql.append(" AND account_id = ?");
      args.add(a);
    });
    query.requestId().ifPresent(r -> {
      sql.append(" AND request_id = ?");
      args.add(r);
    });
    query.outcome().ifPresent(o -> {
      if (o.equals("success")) {
        sql.append(" AND status BETWEEN 200 AND 299");
      } else if (o.equals("failure")) {
        sql.append(" AND (status < 200 OR status > 299)");
      } else if (o.chars().allMatch(Character::isDigit) && o.length() <= 3) {
        sql.append(" AND status = ?");
        args.add(Integer.parseInt(o));
      } else {
        sql.append(" AND error_code = ?");
        args.add(o);
      }
    });
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(query.limit() + 1);
    List<long[]> ids = new ArrayList<>();
    List<AuditEntry> rows = jdbc.list(sql.toString(), rs -> {
      ids.add(new long[] {rs.getLong(1)});
      return read(rs);
    }, args.toArray());
    if (rows.size() <= query.limit()) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, query.limit()), Long.toString(ids.get(query.limit() - 1)[0]));
  }

  private static AuditEntry read(ResultSet rs) throws SQLException {
    return new AuditEntry(Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), text(rs, 5),
        text(rs, 6), text(rs, 7), rs.getInt(8), text(rs, 9), rs.getInt(10), rs.getLong(11));
  }

  private static String text(ResultSet rs, int column) throws SQLException {
    String s = rs.getString(column);
    return s == null ? "" : s;
  }

  /**
   * Deletes the entries older than {@code before}, in chunks so that no transaction holds the
   * database long. Returns how many went.
   *
   * @throws StoreException if the database cannot be written
   */
  public long purge(Instant before) {
    long total = 0;
    String sql = "DELETE FROM audit_call WHERE id IN (SELECT id FROM audit_call WHERE at_ms < ? LIMIT " + PURGE_CHUNK
        + ")";
    while (true) {
      int deleted = jdbc.inTransaction("audit purge", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, before.toEpochMilli());
          return ps.executeUpdate();
        }
      });
      total += deleted;
      if (deleted < PURGE_CHUNK) {
        return total;
      }
    }
  }

  private void run() {
    List<AuditEntry> batch = new ArrayList<>();
    while (true) {
      AuditEntry first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      long started = System.nanoTime();
      try {
        jdbc.inTransaction("audit batch of " + batch.size() + " entries", c -> {
          Jdbc.batch(c, INSERT, batch, AuditLog::bind);
          return null;
        });
      } catch (RuntimeException e) {
        failed.addAndGet(batch.size());
        LOG.log(Level.WARNING, "audit commit of " + batch.size() + " entries failed; they are lost", e);
      }
      synchronized (progress) {
        done.addAndGet(batch.size());
        progress.notifyAll();
      }
      batch.clear();
      // At most one commit per interval: entries gather meanwhile, unless someone waits for them.
      long rest;
      while (!closed && flushing.get() == 0 && (rest = intervalNanos - (System.nanoTime() - started)) > 0) {
        LockSupport.parkNanos(this, rest);
      }
    }
  }

  static void bind(PreparedStatement ps, AuditEntry e) throws SQLException {
    ps.setLong(1, e.at().toEpochMilli());
    ps.setString(2, e.requestId());
    ps.setString(3, e.operation());
    nullable(ps, 4, e.accountId());
    nullable(ps, 5, e.accessKeyId());
    nullable(ps, 6, e.source());
    ps.setInt(7, e.status());
    nullable(ps, 8, e.errorCode());
    ps.setInt(9, e.records());
    ps.setLong(10, e.latencyMicros());
  }

  private static void nullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value.isEmpty()) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /**
   * Stops taking entries and writes those queued, waiting at most {@link #CLOSE_WAIT}: a database
   * locked by someone else (a {@code sqlite3} shell on {@code audit.db}, a backup) must not hold up
   * the server's shutdown and its metering writer. What is left then is counted as failed and
   * logged. Idempotent; the store closes it before its pools.
   */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    boolean interrupted = false;
    while (thread.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        int queued = queue.size();
        failed.addAndGet(queued);
        LOG.log(Level.WARNING, "the audit trail was still writing after " + CLOSE_WAIT.toSeconds()
            + " s; stopping without it (" + queued + " queued entries are lost)");
        break;
      }
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

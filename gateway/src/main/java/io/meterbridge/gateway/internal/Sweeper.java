package io.meterbridge.gateway.internal;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's clock work, once a second in every process (each step is safe to run concurrently):
 *
 * <ul>
 *   <li>follow the shared time-travel offset and catalog;
 *   <li>close the records of ended hours: at the hour's end plus {@code close-delay}, or earlier when
 *       that would leave less than {@code alert-before} to the deadline (the month-end cutoff);
 *       a sum above AWS's per-record maximum keeps the maximum and carries the rest into the next
 *       hour ({@link Carrier});
 *   <li>with {@code zero-hours}, give every active customer a zero record for each closed hour
 *       without usage;
 *   <li>log an alert (WARN) for records still unsent {@code alert-before} their deadline, and end
 *       those whose deadline passed as {@code expired}, with their quantity;
 *   <li>every minute, forget events past their retention.
 * </ul>
 */
final class Sweeper implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Sweeper.class.getName());
  static final long MAX_QUANTITY = Integer.MAX_VALUE;
  private static final long PERIOD_MS = 1_000;
  private static final long PURGE_PERIOD_MS = 60_000;
  private static final long CATALOG_PERIOD_MS = 5_000;
  static final String CLOCK_OFFSET = "clock-offset-ms";
  static final String ZERO_HOURS_THROUGH = "zero-hours-through";

  private final Database db;
  private final GatewayClock clock;
  private final UpstreamWindow window;
  private final Catalog catalog;
  private final Carrier carrier;
  private final long closeDelayMs;
  private final long alertBeforeMs;
  private final boolean zeroHours;
  private final long retentionMs;
  private final EventIndex index; // null on PostgreSQL
  private final IngestWriter writer;
  private final IngestStatements statements;
  private final Runnable closedSome;
  private final Thread thread;
  private volatile boolean stopped;
  private long lastPurge;
  private long lastCatalog;

  Sweeper(Database db, GatewayClock clock, UpstreamWindow window, Catalog catalog, IngestStatements statements,
      IngestWriter writer, Duration closeDelay, Duration alertBefore, boolean zeroHours, EventIndex index,
      Runnable closedSome) {
    this.writer = writer;
    this.statements = statements;
    this.db = db;
    this.clock = clock;
    this.window = window;
    this.catalog = catalog;
    this.carrier = new Carrier(statements, window);
    this.closeDelayMs = closeDelay.toMillis();
    this.alertBeforeMs = alertBefore.toMillis();
    this.zeroHours = zeroHours;
    // An event's retry can come until its hour's deadline (at most window + tolerance after it was
    // received); an hour more, so a late retry is still answered duplicate rather than past deadline.
    this.retentionMs = window.window().plus(UpstreamWindow.FUTURE_TOLERANCE).plusHours(1).toMillis();
    this.index = index;
    this.closedSome = closedSome;
    this.thread = new Thread(this::run, "gateway-sweeper");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (!stopped) {
      try {
        sweep();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "sweep failed; trying again in a second", e);
      }
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One pass of everything; public to the package so tests and time travel can run it at once. */
  synchronized void sweep() {
    followSharedState();
    long now = clock.now();
    int closed = close(now);
    if (zeroHours) {
      closed += zeroHours(now);
    }
    expire(now);
    alert(now);
    if (closed > 0) {
      closedSome.run();
    }
    if (now - lastPurge >= PURGE_PERIOD_MS || now < lastPurge) {
      lastPurge = now;
      purge(now);
    }
  }

  private void followSharedState() {
    List<String> offset = db.query("SELECT value FROM gateway_setting WHERE name = ?", rs -> rs.getString(1),
        CLOCK_OFFSET);
    clock.offsetMillis(offset.isEmpty() ? 0 : Long.parseLong(offset.get(0)));
    long real = clock.realNow();
    if (real - lastCatalog >= CATALOG_PERIOD_MS) {
      lastCatalog = real;
      catalog.reload();
    }
  }

  /**
   * Closes every record whose hour is over; returns how many. Runs on the ingest writer, after it
   * wrote its pending sums, so no event of a record can land after the record closed.
   */
  int close(long now) {
    return writer.flushAnd(c -> closeEnded(c, now)).join();
  }

  private int closeEnded(Connection c, long now) throws SQLException {
    long byDelay = now - UpstreamWindow.HOUR_MS - closeDelayMs;
    long ended = now - UpstreamWindow.HOUR_MS;
    long alertLine = now + alertBeforeMs;
    String closable = "state = 'open' AND hour <= ? AND (hour <= ? OR deadline <= ?)";
    int count = 0;
    // Sums above the maximum first: keep the maximum, carry the rest.
    for (long id : Database.query(c, "SELECT id FROM usage_record WHERE " + closable + " AND quantity > ?",
        rs -> rs.getLong(1), ended, byDelay, alertLine, MAX_QUANTITY)) {
      count += closeOverflowing(c, id, now);
    }
    count += Database.update(c, "UPDATE usage_record SET state = 'closed', closed_at = ?, next_attempt_at = ? "
        + "WHERE " + closable + " AND quantity <= ?", now, now, ended, byDelay, alertLine, MAX_QUANTITY);
    return count;
  }

  private int closeOverflowing(Connection c, long id, long now) throws SQLException {
    List<Object[]> rows = Database.query(c, "SELECT hour, product_code, customer, customer_type, license_arn, "
        + "dimension, quantity FROM usage_record WHERE id = ? AND state = 'open'",
        rs -> new Object[] {new RecordKey(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6)), rs.getLong(7)}, id);
    if (rows.isEmpty() || Database.update(c, "UPDATE usage_record SET state = 'closed', closed_at = ?, "
        + "next_attempt_at = ? WHERE id = ? AND state = 'open'", now, now, id) == 0) {
      return 0; // another process closed it
    }
    RecordKey key = (RecordKey) rows.get(0)[0];
    long quantity = (Long) rows.get(0)[1];
    long excess = quantity - MAX_QUANTITY;
    // The excess leaves the untagged rest first, then the tag sets in order; what it takes from
    // each tag set goes with it, so both records' allocations still add up.
    Map<String, Long> tags = new TreeMap<>();
    for (Object[] t : Database.query(c, "SELECT tags, quantity FROM record_allocation WHERE record_id = ?",
        rs -> new Object[] {rs.getString(1), rs.getLong(2)}, id)) {
      tags.put((String) t[0], (Long) t[1]);
    }
    long untagged = quantity - tags.values().stream().mapToLong(Long::longValue).sum();
    long left = excess - Math.min(excess, untagged);
    Map<String, Long> moved = new TreeMap<>();
    for (Map.Entry<String, Long> t : tags.entrySet()) {
      if (left == 0) {
        break;
      }
      long take = Math.min(left, t.getValue());
      if (take > 0) {
        moved.put(t.getKey(), take);
        Database.update(c, "UPDATE record_allocation SET quantity = quantity - ? WHERE record_id = ? AND tags = ?",
            take, id, t.getKey());
        left -= take;
      }
    }
    Database.update(c, "UPDATE usage_record SET quantity = ?, carried_out = carried_out + ? WHERE id = ?",
        MAX_QUANTITY, excess, id);
    // Written at once (not through the writer's pending sums): no event holds this quantity.
    long target = carrier.carry(c, RecordSums.immediate(statements), key, excess, 0, moved, now);
    LOG.log(Level.INFO, "record " + id + " summed " + quantity + ", above AWS's maximum " + MAX_QUANTITY + "; "
        + excess + " carried into record " + target);
    return 1;
  }

  /** Zero records for active customers without usage in hours that closed; returns how many. */
  private int zeroHours(long now) {
    long lastClosed = UpstreamWindow.hourOf(now - UpstreamWindow.HOUR_MS - closeDelayMs);
    List<String> through = db.query("SELECT value FROM gateway_setting WHERE name = ?", rs -> rs.getString(1),
        ZERO_HOURS_THROUGH);
    // The first run starts with the last closed hour; it never fills hours from before zero-hours was on.
    long from = through.isEmpty() ? lastClosed : Long.parseLong(through.get(0)) + UpstreamWindow.HOUR_MS;
    int count = 0;
    for (long hour = Math.max(from, lastClosed - 48 * UpstreamWindow.HOUR_MS); hour <= lastClosed;
        hour += UpstreamWindow.HOUR_MS) {
      long h = hour;
      long deadline = window.deadline(h);
      if (deadline <= now) {
        continue;
      }
      count += db.inTransaction("zero records of " + Instant.ofEpochMilli(h), c -> {
        int n = Database.update(c, "INSERT INTO usage_record (hour, product_code, customer, customer_type, license_arn, "
            + "dimension, quantity, events, state, deadline, created_at, closed_at, next_attempt_at) "
            + "SELECT ?, u.product_code, u.customer, u.customer_type, u.license_arn, d.dimension, 0, 0, 'closed', ?, ?, "
            + "?, ? FROM customer u JOIN catalog_product p ON p.product_code = u.product_code AND p.product_type = 'SAAS' "
            + "JOIN catalog_dimension d ON d.product_code = u.product_code AND d.position = 0 "
            + "WHERE u.active = 1 AND u.first_hour <= ? AND NOT EXISTS (SELECT 1 FROM usage_record r WHERE r.hour = ? "
            + "AND r.product_code = u.product_code AND r.customer = u.customer AND r.customer_type = u.customer_type) "
            + "AND NOT EXISTS (SELECT 1 FROM customer_hour x WHERE x.hour = ? AND x.product_code = u.product_code "
            + "AND x.customer = u.customer AND x.customer_type = u.customer_type AND x.license_arn <> u.license_arn) "
            + "ON CONFLICT DO NOTHING", h, deadline, now, now, now, h, h, h);
        upsertSetting(c, ZERO_HOURS_THROUGH, Long.toString(h));
        return n;
      });
    }
    if (through.isEmpty() && count == 0) {
      db.inTransaction("zero-hours marker", c -> upsertSetting(c, ZERO_HOURS_THROUGH, Long.toString(lastClosed)));
    }
    return count;
  }

  static int upsertSetting(Connection c, String name, String value) throws SQLException {
    return Database.update(c, "INSERT INTO gateway_setting (name, value) VALUES (?, ?) "
        + "ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value);
  }

  private void expire(long now) {
    long real = clock.realNow();
    String expirable = "((state = 'closed') OR (state = 'sending' AND lease_until <= ?) "
        + "OR (state = 'open' AND hour <= ?)) AND deadline <= ?";
    long minWindow = 6 * UpstreamWindow.HOUR_MS; // no deadline comes sooner after its hour
    List<String> expiring = db.query("SELECT id, product_code, customer, dimension, hour, quantity, last_error "
        + "FROM usage_record WHERE " + expirable + " LIMIT 20",
        rs -> "record " + rs.getLong(1) + " (" + rs.getString(2) + ", customer " + rs.getString(3) + ", "
            + rs.getString(4) + ", hour " + Instant.ofEpochMilli(rs.getLong(5)) + ", quantity " + rs.getLong(6)
            + (rs.getString(7) == null ? "" : ", last error: " + rs.getString(7)) + ")",
        real, now - minWindow, now);
    if (expiring.isEmpty()) {
      return;
    }
    int n = db.inTransaction("expire records", c -> Database.update(c, "UPDATE usage_record SET state = 'expired', "
        + "lease_owner = NULL, lease_until = NULL, last_error = COALESCE(last_error, 'not sent') || "
        + "'; deadline passed' WHERE " + expirable, real, now - minWindow, now));
    if (n > 0) {
      LOG.log(Level.WARNING, n + " record(s) passed their deadline unsent and are now expired, with their"
          + " quantity (AWS no longer accepts them): " + String.join("; ", expiring)
          + (n > expiring.size() ? "; ..." : ""));
    }
  }

  private void alert(long now) {
    long line = now + alertBeforeMs;
    List<String> due = db.query("SELECT id, product_code, customer, dimension, hour, quantity, deadline, last_error "
        + "FROM usage_record WHERE state IN ('closed', 'sending') AND deadline <= ? AND alerted = 0 "
        + "ORDER BY deadline LIMIT 20",
        rs -> "record " + rs.getLong(1) + " (" + rs.getString(2) + ", customer " + rs.getString(3) + ", "
            + rs.getString(4) + ", hour " + Instant.ofEpochMilli(rs.getLong(5)) + ", quantity " + rs.getLong(6)
            + ") is due " + Instant.ofEpochMilli(rs.getLong(7))
            + (rs.getString(8) == null ? "" : "; last error: " + rs.getString(8)), line);
    if (due.isEmpty()) {
      return;
    }
    int n = db.inTransaction("mark alerts", c -> Database.update(c, "UPDATE usage_record SET alerted = 1 "
        + "WHERE state IN ('closed', 'sending') AND deadline <= ? AND alerted = 0", line));
    LOG.log(Level.WARNING, "ALERT: " + n + " record(s) still unsent within " + Duration.ofMillis(alertBeforeMs)
        + " of their deadline: " + String.join("; ", due) + (n > due.size() ? "; ..." : ""));
  }

  private void purge(long now) {
    long cutoff = now - retentionMs;
    int events = db.inTransaction("purge events", c -> Database.update(c,
        "DELETE FROM usage_event WHERE received_at < ?", cutoff));
    db.inTransaction("purge customer hours", c -> Database.update(c,
        "DELETE FROM customer_hour WHERE hour < ?", now - 3 * window.window().toMillis() - 86_400_000L));
    if (index != null) {
      index.dropReceivedBefore(cutoff);
    }
    if (events > 0) {
      LOG.log(Level.DEBUG, "forgot " + events + " events received before " + Instant.ofEpochMilli(cutoff));
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

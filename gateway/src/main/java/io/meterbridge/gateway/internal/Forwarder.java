package io.meterbridge.gateway.internal;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.exception.InvalidRequestException;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Sends closed records to BatchMeterUsage: worker threads claim up to 25 records of one product (and
 * one way upstream: LicenseArn or ProductCode) under a lease, wait for a slot of the shared quota,
 * send, and record every result. A record's upstream form never changes once closed (its hour,
 * quantity and allocations are fixed), so every resend is an identical replay, which AWS answers
 * with the first result: a retry never bills twice.
 *
 * <ul>
 *   <li>{@code Success}, {@code CustomerNotSubscribed}, {@code DuplicateRecord}: final, recorded.
 *   <li>{@code UnprocessedRecords}: back to {@code closed}, sent again at once.
 *   <li>Throttling: every process slows down (see {@link Pacer}); the records go back for a retry.
 *   <li>5xx, timeouts, broken connections, any error of the whole call: back to {@code closed} with
 *       a short backoff, resent identical.
 *   <li>An error one record can cause ({@code InvalidLicense}, {@code InvalidUsageDimension}, ...):
 *       the batch is split in halves until the record stands alone, so it holds no other back; alone,
 *       it waits longer and is tried again until its deadline (the alert and {@code expired} follow).
 * </ul>
 *
 * Leases last {@link #LEASE_MS} and a heartbeat renews this process's every few seconds, so a killed
 * process's records are claimed again within seconds and a results write by a process that lost
 * its lease changes nothing.
 */
final class Forwarder implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
  static final int MAX_BATCH = 25;
  static final long LEASE_MS = 10_000;
  private static final long HEARTBEAT_MS = 2_000;
  private static final long IDLE_POLL_MS = 200;
  private static final long RETRY_BASE_MS = 500;
  private static final long RETRY_MAX_MS = 20_000; // as the AWS SDKs cap their backoff
  private static final long RECORD_ERROR_BASE_MS = 60_000;
  private static final long RECORD_ERROR_MAX_MS = 1_800_000;

  /** Errors of a whole call that one record can cause: split the batch to find it. */
  private static final Set<String> RECORD_ERRORS = Set.of("InvalidLicenseException", "InvalidUsageDimensionException",
      "InvalidCustomerIdentifierException", "InvalidTagException", "InvalidUsageAllocationsException",
      "TimestampOutOfBoundsException", "ValidationException");

  private final Database db;
  private final MeteringClient client;
  private final Pacer pacer;
  private final GatewayClock clock;
  private final String owner;
  private final List<Thread> workers = new ArrayList<>();
  private final Thread heartbeat;
  private final Object wake = new Object();
  private volatile boolean closed;
  private final UpstreamStats stats;

  Forwarder(Database db, MeteringClient client, Pacer pacer, GatewayClock clock, String owner, int workerCount,
      UpstreamStats stats) {
    this.stats = stats;
    this.db = db;
    this.client = client;
    this.pacer = pacer;
    this.clock = clock;
    this.owner = owner;
    for (int i = 0; i < workerCount; i++) {
      Thread t = new Thread(this::work, "gateway-forwarder-" + (i + 1));
      t.setDaemon(true);
      workers.add(t);
    }
    heartbeat = new Thread(this::renewLeases, "gateway-lease-heartbeat");
    heartbeat.setDaemon(true);
  }

  void start() {
    workers.forEach(Thread::start);
    heartbeat.start();
  }

  /** Records were closed: wake idle workers instead of letting them wait for their next poll. */
  void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void work() {
    while (!closed) {
      try {
        List<Claimed> claim = claim();
        if (claim.isEmpty()) {
          synchronized (wake) {
            if (!closed) {
              wake.wait(IDLE_POLL_MS);
            }
          }
          continue;
        }
        send(claim);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "forwarding failed; retrying in a second", e);
        sleepQuietly(1_000);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ claim

  /** A claimed record, in the form it goes upstream. */
  record Claimed(long id, RecordKey key, long quantity, int attempts, List<UsageAllocation> allocations) {
    UsageRecord upstream() {
      UsageRecord.Builder b = UsageRecord.builder()
          .timestamp(Instant.ofEpochMilli(key.hour()))
          .dimension(key.dimension())
          .quantity(Math.toIntExact(quantity));
      if (key.customerType().equals(RecordKey.ACCOUNT)) {
        b.customerAwsAccountId(key.customer());
      } else {
        b.customerIdentifier(key.customer());
      }
      if (!key.licenseArn().isEmpty()) {
        b.licenseArn(key.licenseArn());
      }
      if (!allocations.isEmpty()) {
        b.usageAllocations(allocations);
      }
      return b.build();
    }
  }

  private static final String ELIGIBLE = "state IN ('closed', 'sending') AND deadline > ? "
      + "AND ((state = 'closed' AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?))";

  List<Claimed> claim() {
    long now = clock.now();
    long real = clock.realNow();
    return db.inTransaction("claim records to send", c -> {
      List<Object[]> group = Database.query(c, "SELECT product_code, CASE WHEN license_arn = '' THEN 0 ELSE 1 END "
          + "FROM usage_record WHERE " + ELIGIBLE + " ORDER BY deadline LIMIT 1",
          rs -> new Object[] {rs.getString(1), rs.getInt(2)}, now, now, real);
      if (group.isEmpty()) {
        return List.of();
      }
      String lock = db.sqlite() ? "" : " FOR UPDATE SKIP LOCKED";
      List<Claimed> claimed = Database.query(c, "UPDATE usage_record SET state = 'sending', lease_owner = ?, "
          + "lease_until = ?, attempts = attempts + 1 WHERE id IN (SELECT id FROM usage_record WHERE " + ELIGIBLE
          + " AND product_code = ? AND CASE WHEN license_arn = '' THEN 0 ELSE 1 END = ? ORDER BY deadline LIMIT "
          + MAX_BATCH + lock + ") RETURNING id, hour, product_code, customer, customer_type, license_arn, dimension, "
          + "quantity, attempts, tagged",
          rs -> new Claimed(rs.getLong(1), new RecordKey(rs.getLong(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7)), rs.getLong(8), rs.getInt(9),
              rs.getInt(10) == 1 ? null : List.of()),
          owner, real + LEASE_MS, now, now, real, group.get(0)[0], group.get(0)[1]);
      List<Claimed> out = new ArrayList<>(claimed.size());
      for (Claimed r : claimed) {
        out.add(r.allocations() != null ? r : new Claimed(r.id(), r.key(), r.quantity(), r.attempts(),
            allocations(c, r.id(), r.quantity())));
      }
      return out;
    });
  }

  /** The record's UsageAllocations: one per tag set, and the untagged rest. */
  private static List<UsageAllocation> allocations(Connection c, long recordId, long quantity) throws SQLException {
    List<UsageAllocation> out = new ArrayList<>();
    long tagged = 0;
    for (Object[] row : Database.query(c, "SELECT tags, quantity FROM record_allocation WHERE record_id = ? "
        + "ORDER BY tags", rs -> new Object[] {rs.getString(1), rs.getLong(2)}, recordId)) {
      long q = (Long) row[1];
      if (q > 0) {
        out.add(new UsageAllocation(Math.toIntExact(q), Tags.parse((String) row[0])));
        tagged += q;
      }
    }
    if (quantity > tagged) {
      out.add(new UsageAllocation(Math.toIntExact(quantity - tagged), List.of()));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------ send

  private void send(List<Claimed> batch) throws InterruptedException {
    pacer.acquire();
    BatchMeterUsageRequest request = request(batch);
    BatchMeterUsageResponse response;
    stats.called();
    try {
      response = client.batchMeterUsage(request);
    } catch (MeteringServiceException e) {
      stats.failed(e.errorCode());
      if (e.throttling()) {
        pacer.throttled();
        release(batch, e.errorCode() + ": " + e.serviceMessage(), RETRY_BASE_MS);
      } else if (RECORD_ERRORS.contains(e.errorCode())) {
        isolate(batch, e.errorCode() + ": " + e.serviceMessage());
      } else {
        release(batch, e.errorCode() + " (HTTP " + e.statusCode() + "): " + e.serviceMessage(), backoff(batch));
      }
      return;
    } catch (InvalidRequestException e) {
      stats.failed(e.getClass().getSimpleName());
      // Refused before sending: the gateway built a record AWS's model forbids. One record's fault.
      isolate(batch, "refused by the client before sending: " + e.getMessage());
      return;
    } catch (MeteringException e) {
      stats.failed(e.getClass().getSimpleName());
      release(batch, e.getClass().getSimpleName() + ": " + e.getMessage(), backoff(batch));
      return;
    } catch (RuntimeException e) {
      stats.failed(e.getClass().getSimpleName());
      LOG.log(Level.WARNING, "BatchMeterUsage failed unexpectedly", e);
      release(batch, e.toString(), backoff(batch));
      return;
    }
    record(batch, response);
  }

  private static BatchMeterUsageRequest request(List<Claimed> batch) {
    List<UsageRecord> records = batch.stream().map(Claimed::upstream).toList();
    RecordKey first = batch.get(0).key();
    return first.licenseArn().isEmpty()
        ? BatchMeterUsageRequest.of(first.productCode(), records)
        : BatchMeterUsageRequest.builder().usageRecords(records).build();
  }

  /** A call failed for one record's sake: halve the batch until that record stands alone. */
  private void isolate(List<Claimed> batch, String error) throws InterruptedException {
    if (batch.size() == 1) {
      Claimed r = batch.get(0);
      LOG.log(Level.WARNING, "record " + r.id() + " (" + r.key() + ") refused upstream: " + error
          + "; retrying until its deadline");
      finish(List.of(new Result(r, RecordStateNames.CLOSED, null, error,
          clock.now() + scaled(RECORD_ERROR_BASE_MS, RECORD_ERROR_MAX_MS, r.attempts()))));
      return;
    }
    int half = batch.size() / 2;
    send(batch.subList(0, half));
    send(batch.subList(half, batch.size()));
  }

  private long backoff(List<Claimed> batch) {
    int attempts = batch.stream().mapToInt(Claimed::attempts).max().orElse(1);
    return scaled(RETRY_BASE_MS, RETRY_MAX_MS, attempts);
  }

  private static long scaled(long base, long max, int attempts) {
    long delay = base << Math.min(20, Math.max(0, attempts - 1));
    delay = Math.min(max, delay);
    return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
  }

  private void release(List<Claimed> batch, String error, long delay) {
    long at = clock.now() + delay;
    finish(batch.stream().map(r -> new Result(r, RecordStateNames.CLOSED, null, error, at)).toList());
  }

  /** Matches the answer to the batch; records AWS neither answered nor returned go back for a retry. */
  private void record(List<Claimed> batch, BatchMeterUsageResponse response) {
    Map<String, Claimed> byKey = new HashMap<>();
    batch.forEach(r -> byKey.put(matchKey(r.upstream()), r));
    List<Result> results = new ArrayList<>();
    long now = clock.now();
    for (UsageRecordResult result : response.results()) {
      Optional<Claimed> r = result.usageRecord().map(u -> byKey.remove(matchKey(u)));
      if (r.isEmpty() || r.get() == null) {
        continue;
      }
      UsageRecordResultStatus status = result.status().orElse(UsageRecordResultStatus.UNKNOWN);
      switch (status) {
        case SUCCESS -> results.add(new Result(r.get(), RecordStateNames.SENT,
            result.meteringRecordId().orElse(null), null, now));
        case CUSTOMER_NOT_SUBSCRIBED -> results.add(new Result(r.get(), RecordStateNames.NOT_SUBSCRIBED, null,
            "CustomerNotSubscribed: the customer cannot use the product (no active subscription, or a suspended"
                + " account)", now));
        case DUPLICATE_RECORD -> results.add(new Result(r.get(), RecordStateNames.CONFLICT, null,
            "DuplicateRecord: AWS holds another quantity for this customer, dimension and hour; it stays billed",
            now));
        default -> results.add(new Result(r.get(), RecordStateNames.CLOSED, null,
            "unknown result status " + result.status(), now + backoff(List.of(r.get()))));
      }
    }
    for (UsageRecord u : response.unprocessedRecords()) {
      Claimed r = byKey.remove(matchKey(u));
      if (r != null) {
        results.add(new Result(r, RecordStateNames.CLOSED, null, "returned in UnprocessedRecords", now));
      }
    }
    for (Claimed r : byKey.values()) {
      results.add(new Result(r, RecordStateNames.CLOSED, null, "no result for this record in the answer",
          now + backoff(List.of(r))));
    }
    finish(results);
  }

  private static String matchKey(UsageRecord u) {
    return u.customerAwsAccountId().orElse("") + '\n' + u.customerIdentifier().orElse("") + '\n'
        + u.licenseArn().orElse("") + '\n' + u.dimension() + '\n' + u.timestamp().toEpochMilli();
  }

  /** What happens to one claimed record. */
  private record Result(Claimed record, String state, String upstreamId, String error, long nextAttemptAt) {}

  /** Writes the results, each only if this process still holds the record's lease. */
  private void finish(List<Result> results) {
    if (results.isEmpty()) {
      return;
    }
    long now = clock.now();
    int lost = db.inTransaction("record results", c -> {
      int notHeld = 0;
      try (PreparedStatement ps = c.prepareStatement("UPDATE usage_record SET state = ?, upstream_id = ?, "
          + "last_error = ?, next_attempt_at = ?, sent_at = ?, lease_owner = NULL, lease_until = NULL "
          + "WHERE id = ? AND state = 'sending' AND lease_owner = ?");
          PreparedStatement unsubscribe = c.prepareStatement("UPDATE customer SET active = 0 "
              + "WHERE product_code = ? AND customer = ? AND customer_type = ?")) {
        for (Result r : results) {
          ps.setString(1, r.state());
          ps.setString(2, r.upstreamId());
          ps.setString(3, r.error());
          ps.setLong(4, r.nextAttemptAt());
          if (r.state().equals(RecordStateNames.SENT)) {
            ps.setLong(5, now);
          } else {
            ps.setNull(5, java.sql.Types.BIGINT);
          }
          ps.setLong(6, r.record().id());
          ps.setString(7, owner);
          if (ps.executeUpdate() == 0) {
            notHeld++;
          } else if (r.state().equals(RecordStateNames.NOT_SUBSCRIBED)) {
            RecordKey k = r.record().key();
            Database.bind(unsubscribe, k.productCode(), k.customer(), k.customerType());
            unsubscribe.executeUpdate();
          }
        }
      }
      return notHeld;
    });
    if (lost > 0) {
      LOG.log(Level.INFO, lost + " result(s) not recorded: the lease passed to another process, whose identical"
          + " resend gets the same answer");
    }
  }

  // ---------------------------------------------------------------------------------------- leases

  private void renewLeases() {
    while (!closed) {
      try {
        db.inTransaction("renew leases", c -> Database.update(c, "UPDATE usage_record SET lease_until = ? "
            + "WHERE state = 'sending' AND lease_owner = ?", clock.realNow() + LEASE_MS, owner));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not renew leases: " + e.getMessage());
      }
      sleepQuietly(HEARTBEAT_MS);
    }
  }

  /** Gives back the records this process still holds, for another process or the next start. */
  private void releaseAll() {
    db.inTransaction("release leases", c -> Database.update(c, "UPDATE usage_record SET state = 'closed', "
        + "lease_owner = NULL, lease_until = NULL WHERE state = 'sending' AND lease_owner = ?", owner));
  }

  private void sleepQuietly(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the workers (a call in flight finishes, up to its timeout) and releases what is left. */
  @Override
  public void close() {
    closed = true;
    wake();
    for (Thread t : workers) {
      t.interrupt();
    }
    heartbeat.interrupt();
    for (Thread t : workers) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      releaseAll();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not release leases at close (they expire in " + LEASE_MS / 1000 + " s): "
          + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "Forwarder[" + workers.size() + " workers, owner " + owner + ", "
        + workers.stream().filter(Thread::isAlive).collect(Collectors.counting()) + " alive]";
  }
}

package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.GatewayException;
import io.meterbridge.gateway.GatewayOverloadedException;
import io.meterbridge.gateway.IngestResult;
import io.meterbridge.gateway.IngestStatus;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ingest writer: one thread that takes every pending call (up to a bound on events), runs them
 * as one transaction and commits once, so one fsync covers thousands of events. Within the group:
 *
 * <ol>
 *   <li>events whose key the ledger holds are {@code duplicate} (same content) or {@code conflict};
 *   <li>repeats of a key inside the group are judged against its first occurrence;
 *   <li>the rest are summed in memory per record;
 *   <li>each customer hour gets its way upstream fixed (LicenseArn or ProductCode; the first record
 *       that names it wins), and the events of records going the other way are {@code rejected};
 *   <li>each record is written once (only while open: a record already closed sends its share to a
 *       later hour, see {@link Carrier});
 *   <li>the events are stored with their record, and the group commits.
 * </ol>
 *
 * The outcome is what processing the events one by one in arrival order would give, with one
 * exception: when the first use of an id in a group is refused for its way upstream, a second use
 * of that id in the same group is judged against it (conflict) instead of on its own. Futures complete
 * after the commit, on a separate thread, so callers' callbacks never delay the next group. A group
 * that fails is retried when the failure is transient (and on PostgreSQL when another process stored
 * one of its events meanwhile); otherwise it fails exactly its calls.
 */
final class IngestWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(IngestWriter.class.getName());
  private static final int MAX_ATTEMPTS = 10;
  private static final long MODE_CACHE_HOURS = 80;

  private final Database db;
  private final IngestStatements statements;
  private final RecordSums sums;
  private final Carrier carrier;
  private final UpstreamWindow window;
  private final GatewayClock clock;
  private final int maxGroupEvents;
  private final ArrayBlockingQueue<Object> queue; // PendingIngest or Task
  private final Thread thread;
  private final ExecutorService completions;
  // Customer hours whose way upstream is known: it never changes once set, so a cached entry stays true.
  private final Map<RecordKey.CustomerHour, String> modes = new HashMap<>();
  private long modesPrunedAt;
  private int groupsSinceDuplicate;
  private volatile boolean closed;

  IngestWriter(Database db, IngestStatements statements, RecordSums sums, UpstreamWindow window,
      GatewayClock clock, int maxPendingCalls, int maxGroupEvents) {
    this.db = db;
    this.statements = statements;
    this.sums = sums;
    this.carrier = new Carrier(statements, window);
    this.window = window;
    this.clock = clock;
    this.maxGroupEvents = maxGroupEvents;
    this.queue = new ArrayBlockingQueue<>(maxPendingCalls);
    this.completions = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "gateway-ingest-completions");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::run, "gateway-ingest-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a call; fails its future at once when the queue is full or the writer closed. */
  void submit(PendingIngest call) {
    if (closed) {
      call.fail(new GatewayException("the gateway is closed"));
      return;
    }
    if (!queue.offer(call)) {
      call.fail(new GatewayOverloadedException("the ingest queue is full (" + queue.size()
          + " calls waiting); retry shortly"));
      return;
    }
    // close() may have run between the check and the offer: whoever removes the call owns it.
    if (closed && queue.remove(call)) {
      call.fail(new GatewayException("the gateway is closed"));
    }
  }

  /** Work on the records that must not interleave with ingest: flushing sums, closing records. */
  private record Task(Database.Work<Integer> work, CompletableFuture<Integer> done) {}

  /**
   * Writes the pending sums, then runs {@code then} in the same transaction, on the writer thread
   * between two groups. The future completes with {@code then}'s count after the commit; a positive
   * count means records closed.
   */
  CompletableFuture<Integer> flushAnd(Database.Work<Integer> then) {
    Task task = new Task(then, new CompletableFuture<>());
    if (closed) {
      task.done.completeExceptionally(new GatewayException("the gateway is closed"));
    } else {
      try {
        queue.put(task);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        task.done.completeExceptionally(e);
      }
      if (closed && queue.remove(task)) {
        task.done.completeExceptionally(new GatewayException("the gateway is closed"));
      }
    }
    return task.done;
  }

  private void runTask(Task task) {
    try {
      int n = db.inTransaction(db.writer(), "flush sums", c -> {
        sums.flush(c);
        return task.work.run(c);
      });
      if (sums instanceof DeferredSums d) {
        d.flushed();
      }
      if (n > 0) {
        sums.closed();
      }
      task.done.complete(n);
    } catch (RuntimeException e) {
      task.done.completeExceptionally(e);
    }
  }

  private void run() {
    List<PendingIngest> group = new ArrayList<>();
    while (true) {
      Object first;
      try {
        first = queue.poll(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue; // only close() ends the loop, once the queue is empty
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (first instanceof Task task) {
        runTask(task);
        continue;
      }
      PendingIngest call = (PendingIngest) first;
      group.add(call);
      int events = call.events.size();
      Object next;
      while ((next = queue.peek()) instanceof PendingIngest p && events + p.events.size() <= maxGroupEvents) {
        group.add((PendingIngest) queue.poll());
        events += p.events.size();
      }
      commit(List.copyOf(group));
      group.clear();
    }
  }

  private void commit(List<PendingIngest> group) {
    Throwable failure = null;
    try {
      write(group);
    } catch (Throwable t) {
      failure = t instanceof GatewayException ? t : new GatewayException("ingest of " + group.size()
          + " calls failed: " + t, t);
      LOG.log(Level.WARNING, "ingest group of " + group.size() + " calls failed", t);
    }
    Throwable f = failure;
    completions.execute(() -> group.forEach(call -> {
      if (f == null) {
        call.complete();
      } else {
        call.fail(f);
      }
    }));
  }

  /** A concurrent process stored one of the group's events between our read and our insert. */
  private static final class Redo extends Exception {
    Redo() {
      super(null, null, false, false);
    }
  }

  private void write(List<PendingIngest> group) throws SQLException {
    if (group.stream().allMatch(p -> p.events.isEmpty())) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      Map<RecordKey.CustomerHour, String> learnt = new HashMap<>();
      try (Connection c = db.writer().getConnection()) {
        c.setAutoCommit(false);
        try {
          // Optimistic after a run of clean groups: skip the lookup, and redo the group with it should
          // the insert meet a stored key (a retry). Only where the lookup costs a round trip per group.
          boolean lookUp = !statements.insertDetectsDuplicates() || attempt > 1 || groupsSinceDuplicate < 16;
          apply(c, group, clock.now(), learnt, lookUp);
          c.commit();
          groupsSinceDuplicate++;
          statements.committed();
          sums.committed();
          modes.putAll(learnt);
          pruneModes();
          return;
        } catch (Redo e) {
          groupsSinceDuplicate = 0;
          rollback(c, group, e);
          if (attempt < MAX_ATTEMPTS) {
            continue;
          }
          throw new GatewayException("ingest kept racing another process for the same events; gave up after "
              + attempt + " attempts");
        } catch (SQLException | RuntimeException e) {
          rollback(c, group, e);
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && db.isTransient(e)) {
          continue;
        }
        throw e;
      }
    }
  }

  private void rollback(Connection c, List<PendingIngest> group, Exception cause) {
    group.forEach(PendingIngest::reset);
    statements.rolledBack();
    sums.rolledBack();
    try {
      c.rollback();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  private void apply(Connection c, List<PendingIngest> group, long now, Map<RecordKey.CustomerHour, String> learnt,
      boolean lookUp) throws SQLException, Redo {
    List<ValidEvent> events = new ArrayList<>();
    List<PendingIngest> owners = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (PendingIngest p : group) {
      for (int i = 0; i < p.events.size(); i++) {
        events.add(p.events.get(i));
        owners.add(p);
        indexes.add(i);
      }
    }
    int n = events.size();
    IngestResult[] out = new IngestResult[n];

    // 1. Keys the ledger already holds.
    boolean tooLate = events.stream().anyMatch(e -> e.tooLate() != null);
    Map<IngestStatements.EventKey, IngestStatements.StoredEvent> stored = lookUp || tooLate
        ? statements.findEvents(c, events) : Map.of();
    for (int s = 0; s < n; s++) {
      ValidEvent event = events.get(s);
      IngestStatements.StoredEvent e = stored.get(IngestStatements.EventKey.of(event));
      if (e != null) {
        out[s] = judge(event, e.content());
      } else if (event.tooLate() != null) {
        out[s] = IngestResult.of(event.id(), IngestStatus.REJECTED, event.tooLate());
      }
    }

    // 2. Repeats inside the group, against the first occurrence; the rest by record, in order of
    //    first appearance (a HashMap: the per-record work below runs once per record, not per event).
    Map<IngestStatements.EventKey, Integer> first = new HashMap<>(n * 2);
    Map<RecordKey, Sum> byRecord = new LinkedHashMap<>();
    for (int s = 0; s < n; s++) {
      if (out[s] != null) {
        continue;
      }
      ValidEvent e = events.get(s);
      Integer f = first.putIfAbsent(IngestStatements.EventKey.of(e), s);
      if (f != null) {
        out[s] = judge(e, events.get(f).content());
      } else {
        byRecord.computeIfAbsent(e.key(), k -> new Sum()).add(e, s);
      }
    }

    // 3. The way upstream of each customer hour: known, or fixed now by the first record that names
    //    it. Records going the other way are refused, with all their events.
    Map<RecordKey.CustomerHour, String> wanted = new TreeMap<>();
    for (RecordKey key : byRecord.keySet()) {
      RecordKey.CustomerHour ch = key.customerHour();
      if (!modes.containsKey(ch)) {
        wanted.putIfAbsent(ch, key.licenseArn());
      }
    }
    if (!wanted.isEmpty()) {
      List<RecordKey.CustomerHour> hours = new ArrayList<>(wanted.keySet());
      String[] inForce = statements.customerHours(c, hours, new ArrayList<>(wanted.values()));
      for (int i = 0; i < inForce.length; i++) {
        learnt.put(hours.get(i), inForce[i]);
      }
      registerCustomers(c, hours, inForce);
    }
    for (var it = byRecord.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<RecordKey, Sum> e = it.next();
      RecordKey key = e.getKey();
      RecordKey.CustomerHour ch = key.customerHour();
      String inForce = learnt.containsKey(ch) ? learnt.get(ch) : modes.get(ch);
      if (!inForce.equals(key.licenseArn())) {
        String why = modeConflict(key, inForce);
        for (int s : e.getValue().slots) {
          out[s] = IngestResult.of(events.get(s).id(), IngestStatus.REJECTED, why);
        }
        it.remove();
      }
    }

    // 4. Sum per record, upsert each once, in key order (processes then lock records in one order);
    //    records no longer open pass their share on.
    List<RecordKey> keys = new ArrayList<>(byRecord.keySet());
    keys.sort(null);
    List<IngestStatements.Aggregate> aggregates = new ArrayList<>(keys.size());
    for (RecordKey key : keys) {
      Sum sum = byRecord.get(key);
      aggregates.add(new IngestStatements.Aggregate(key, sum.quantity, sum.events, 0, !sum.tagged.isEmpty(),
          window.deadline(key.hour())));
    }
    long[] ids = aggregates.isEmpty() ? new long[0] : sums.add(c, aggregates, now);
    List<Integer> fresh = new ArrayList<>(n);
    long[] recordOfSlot = new long[n];
    for (int a = 0; a < keys.size(); a++) {
      long id = ids[a];
      Sum sum = byRecord.get(keys.get(a));
      if (id < 0) {
        id = carrier.carry(c, sums, keys.get(a), sum.quantity, sum.events, sum.tagged, now);
      } else {
        Carrier.addAllocations(c, id, sum.tagged);
      }
      for (int s : sum.slots) {
        recordOfSlot[s] = id;
        fresh.add(s);
      }
    }
    fresh.sort(null);

    // 5. Store the events with their records.
    if (!fresh.isEmpty()) {
      List<ValidEvent> toStore = new ArrayList<>(fresh.size());
      long[] recordIds = new long[fresh.size()];
      for (int i = 0; i < fresh.size(); i++) {
        toStore.add(events.get(fresh.get(i)));
        recordIds[i] = recordOfSlot[fresh.get(i)];
      }
      if (!statements.insertEvents(c, toStore, recordIds, now)) {
        throw new Redo();
      }
      for (int s : fresh) {
        out[s] = IngestResult.accepted(events.get(s).id());
      }
    }
    for (int s = 0; s < n; s++) {
      owners.get(s).answer(indexes.get(s), out[s]);
    }
  }

  /** The customers seen, for zero-quantity hours: any usage makes a customer active again. */
  private static void registerCustomers(Connection c, List<RecordKey.CustomerHour> hours, String[] inForce)
      throws SQLException {
    Map<List<String>, Object[]> customers = new LinkedHashMap<>();
    for (int i = 0; i < hours.size(); i++) {
      RecordKey.CustomerHour h = hours.get(i);
      customers.put(List.of(h.productCode(), h.customer(), h.customerType()),
          new Object[] {h.productCode(), h.customer(), h.customerType(), inForce[i], h.hour()});
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer (product_code, customer, customer_type, "
        + "license_arn, first_hour, active) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (product_code, customer, "
        + "customer_type) DO UPDATE SET active = 1, license_arn = excluded.license_arn")) {
      for (Object[] row : customers.values()) {
        Database.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static IngestResult judge(ValidEvent e, long storedContent) {
    return storedContent == e.content()
        ? IngestResult.of(e.id(), IngestStatus.DUPLICATE, "an event with this id and the same content was accepted"
            + " before; nothing changed")
        : IngestResult.of(e.id(), IngestStatus.CONFLICT, "an event with this id but different content was accepted"
            + " before; it stands and this one changed nothing");
  }

  private static String modeConflict(RecordKey key, String inForce) {
    String hour = Instant.ofEpochMilli(key.hour()).toString();
    String customer = (key.customerType().equals(RecordKey.ACCOUNT) ? "customer account " : "customer ")
        + key.customer();
    return inForce.isEmpty()
        ? "licenseArn: " + customer + " already has usage of product " + key.productCode() + " in the hour of " + hour
            + " reported by ProductCode; AWS bills usage sent both by ProductCode and by LicenseArn twice, so this"
            + " hour stays without a licenseArn"
        : "licenseArn: " + customer + " already has usage of product " + key.productCode() + " in the hour of " + hour
            + " reported with licenseArn " + inForce + "; AWS bills usage sent both ways twice, so this hour's"
            + " usage must carry that licenseArn";
  }

  private void pruneModes() {
    long now = clock.now();
    if (now - modesPrunedAt < 600_000) {
      return;
    }
    modesPrunedAt = now;
    long oldest = now - MODE_CACHE_HOURS * UpstreamWindow.HOUR_MS;
    for (Iterator<RecordKey.CustomerHour> it = modes.keySet().iterator(); it.hasNext(); ) {
      if (it.next().hour() < oldest) {
        it.remove();
      }
    }
  }

  /** A record's share of a group, and which of the group's events make it. */
  private static final class Sum {
    long quantity;
    long events;
    final Map<String, Long> tagged = new TreeMap<>();
    final List<Integer> slots = new ArrayList<>(4);

    void add(ValidEvent e, int slot) {
      quantity = Math.addExact(quantity, e.quantity());
      events++;
      slots.add(slot);
      for (ValidEvent.TaggedQuantity t : e.tagged()) {
        tagged.merge(t.tags(), t.quantity(), Math::addExact);
      }
    }
  }

  /**
   * Stops accepting calls, writes everything accepted, flushes the sums, and waits for every future
   * to complete.
   */
  @Override
  public void close() {
    CompletableFuture<Integer> flush = flushAnd(c -> 0);
    closed = true;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    List<Object> stragglers = new ArrayList<>();
    queue.drainTo(stragglers);
    for (Object o : stragglers) {
      GatewayException closedNow = new GatewayException("the gateway is closed");
      if (o instanceof PendingIngest p) {
        p.fail(closedNow);
      } else {
        ((Task) o).done.completeExceptionally(closedNow);
      }
    }
    flush.exceptionally(e -> {
      LOG.log(Level.WARNING, "the last flush of sums failed; the next start sums the events again", e);
      return 0;
    });
    completions.shutdown();
    try {
      completions.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

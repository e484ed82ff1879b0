package io.meterbridge.bench.load;

import io.meterbridge.server.metering.Allocations;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterOutcome;
import io.meterbridge.server.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The storage ceiling: the rows a BatchMeterUsage load stores, built as the service builds them
 * (fresh UUID, the same fingerprint, seller, receive time), written straight into {@link
 * Store#meterBatch} 25 at a time by {@code callers} concurrent callers (closed loop), with the
 * store's own group commit and durability. No HTTP, no JSON, no authentication, no catalog.
 */
final class StoreDriver {
  private final Store store;
  private final LoadCatalog catalog;
  private final int callers;
  private final Measurement measurement;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "store-callers");
    t.setDaemon(true);
    return t;
  });
  private final String[] fingerprints = new String[9];
  private final CountDownLatch finished = new CountDownLatch(1);
  private long nextRecord;
  private long calls;
  private long maxCalls;
  private long endNanos;
  private int inFlight;
  private boolean stopping;

  StoreDriver(Store store, LoadCatalog catalog, int callers, Measurement measurement) {
    this.store = store;
    this.catalog = catalog;
    this.callers = callers;
    this.measurement = measurement;
    for (int q = 1; q <= 8; q++) {
      fingerprints[q] = Allocations.fingerprint(q, List.of());
    }
  }

  void run(long durationNanos, long maxCalls) throws InterruptedException {
    thread.execute(() -> {
      this.maxCalls = maxCalls;
      endNanos = System.nanoTime() + durationNanos;
      for (int i = 0; i < callers; i++) {
        send();
      }
    });
    if (!finished.await(durationNanos + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS)) {
      measurement.timedOut(inFlight);
    }
    thread.shutdown();
  }

  private void send() {
    calls++;
    inFlight++;
    long started = System.nanoTime();
    Instant now = Instant.now();
    List<BatchRow> rows = new ArrayList<>(25);
    for (int i = 0; i < 25; i++) {
      long r = nextRecord++;
      int quantity = (int) (1 + (r & 7));
      rows.add(BatchRow.builder()
          .meteringRecordId(UUID.randomUUID().toString())
          .productCode(LoadCatalog.SAAS_PRODUCT)
          .customerAccountId(catalog.customerAccount(r))
          .dimension(catalog.batchDimension(r))
          .timestamp(Instant.ofEpochSecond(catalog.batchTimestamp(r)))
          .quantity(quantity)
          .allocations("")
          .fingerprint(fingerprints[quantity])
          .callerAccountId(LoadCatalog.SELLER_ACCOUNT)
          .receivedAt(now)
          .build());
    }
    store.meterBatch(rows).whenComplete((outcomes, failure) -> thread.execute(() -> done(started, outcomes, failure)));
  }

  private boolean failureShown;

  private void done(long started, List<MeterOutcome> outcomes, Throwable failure) {
    inFlight--;
    long now = System.nanoTime();
    if (failure != null) {
      Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
      if (!failureShown) {
        // The table counts failures by class; the first one's message says what it was.
        failureShown = true;
        System.err.println("first store failure: " + failure);
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
          System.err.println("  caused by: " + t);
        }
      }
      measurement.failed(started, now, cause.getClass().getSimpleName(), 25);
    } else {
      int stored = 0;
      for (MeterOutcome o : outcomes) {
        if (o instanceof MeterOutcome.Stored) {
          stored++;
        }
      }
      measurement.completed(started, now, stored, outcomes.size() - stored);
    }
    if (!stopping && now < endNanos && calls < maxCalls) {
      send();
    } else {
      stopping = true;
      if (inFlight == 0) {
        finished.countDown();
      }
    }
  }
}

package io.meterbridge.client;

import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.Tag;
import io.meterbridge.model.UsageAllocation;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Takes usage records one at a time and sends them in BatchMeterUsage calls: up to 25 records of
 * one product per call, each request kept under 1 MB. A product's records go out as soon as 25 are
 * waiting, or when the oldest has waited {@linkplain Builder#maxDelay the maximum delay}, or on
 * {@link #flush()} or {@link #close()}. Records the service returns as {@code UnprocessedRecords}
 * are sent again, after a backoff, up to {@linkplain Builder#maxAttempts a number of attempts}.
 *
 * <p>Each {@link #add} returns a future that completes with the record's result (status
 * {@code Success}, {@code CustomerNotSubscribed} or {@code DuplicateRecord}), or exceptionally with
 * the error the whole call failed with (a {@link io.meterbridge.exception.MeteringServiceException}
 * subclass or a {@link MeteringClientException}), or with a retryable
 * {@link MeteringClientException} when the record was still unprocessed after the last attempt.
 * The calls themselves retry as the client is configured to.
 *
 * <p>Thread-safe. {@link #close()} sends what is waiting, waits for every record's future and
 * stops the batcher's thread; it does not close the client.
 *
 * <pre>{@code
 * try (UsageBatcher batcher = client.batcher(b -> b.maxDelay(Duration.ofMillis(200)))) {
 *   for (Usage u : hourlyTotals) {
 *     batcher.add("prod-saas", UsageRecord.builder().timestamp(hour)
 *             .customerAwsAccountId(u.account()).dimension("api_calls").quantity(u.calls()).build())
 *         .whenComplete((result, error) -> log(u, result, error));
 *   }
 * } // every record answered here
 * }</pre>
 */
public final class UsageBatcher implements AutoCloseable {
  /** The most records BatchMeterUsage takes in one call. */
  public static final int MAX_RECORDS_PER_CALL = 25;
  /** The largest request body BatchMeterUsage takes, in bytes. */
  static final int MAX_REQUEST_BYTES = 1024 * 1024;
  /** The estimate of the request's envelope (product code, brackets), added to each batch. */
  private static final int ENVELOPE_BYTES = 1024;

  private final Function<BatchMeterUsageRequest, CompletableFuture<BatchMeterUsageResponse>> sender;
  private final Duration maxDelay;
  private final int maxAttempts;
  private final Duration backoff;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Object lock = new Object();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Set<CompletableFuture<UsageRecordResult>> unanswered = ConcurrentHashMap.newKeySet();
  private boolean closed;

  private UsageBatcher(Builder builder,
      Function<BatchMeterUsageRequest, CompletableFuture<BatchMeterUsageResponse>> sender) {
    this.maxDelay = builder.maxDelay;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "meterbridge-usage-batcher");
      t.setDaemon(true);
      return t;
    });
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.sender = sender;
  }

  /** A batcher over a blocking client: calls run on the batcher's own threads. */
  static UsageBatcher blocking(MeteringClient client, Consumer<Builder> config) {
    Builder builder = configured(config);
    UsageBatcher[] self = new UsageBatcher[1];
    self[0] = new UsageBatcher(builder,
        request -> CompletableFuture.supplyAsync(() -> client.batchMeterUsage(request), self[0].scheduler));
    return self[0];
  }

  /** A batcher over an asynchronous client. */
  static UsageBatcher async(MeteringAsyncClient client, Consumer<Builder> config) {
    return new UsageBatcher(configured(config), client::batchMeterUsage);
  }

  private static Builder configured(Consumer<Builder> config) {
    Builder builder = new Builder();
    Objects.requireNonNull(config, "config").accept(builder);
    return builder;
  }

  /**
   * Queues one record of {@code productCode} for the next call of that product.
   *
   * @return the record's result once the service has answered for it
   * @throws IllegalStateException if the batcher is closed
   * @throws NullPointerException if an argument is null
   */
  public CompletableFuture<UsageRecordResult> add(String productCode, UsageRecord record) {
    Objects.requireNonNull(productCode, "productCode");
    Objects.requireNonNull(record, "record");
    Entry entry = new Entry(record, new CompletableFuture<>(), estimateBytes(record));
    List<Entry> ready = null;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(
            "the usage batcher is closed: create a new one with client.batcher() to send more records");
      }
      unanswered.add(entry.future);
      entry.future.whenComplete((r, e) -> unanswered.remove(entry.future));
      Pending queue = pending.computeIfAbsent(productCode, p -> new Pending());
      if (!queue.entries.isEmpty() && queue.bytes + entry.bytes + ENVELOPE_BYTES > MAX_REQUEST_BYTES) {
        ready = queue.take();
      }
      queue.entries.add(entry);
      queue.bytes += entry.bytes;
      if (queue.entries.size() >= MAX_RECORDS_PER_CALL) {
        List<Entry> full = queue.take();
        if (ready == null) {
          ready = full;
        } else {
          send(productCode, full, 1);
        }
      } else if (queue.timer == null) {
        queue.timer = scheduler.schedule(() -> flush(productCode), maxDelay.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (ready != null) {
      send(productCode, ready, 1);
    }
    return entry.future;
  }

  /** Sends every waiting record now, without waiting for the answers. */
  public void flush() {
    List<String> products;
    synchronized (lock) {
      products = new ArrayList<>(pending.keySet());
    }
    products.forEach(this::flush);
  }

  private void flush(String productCode) {
    List<Entry> batch;
    synchronized (lock) {
      Pending queue = pending.get(productCode);
      if (queue == null || queue.entries.isEmpty()) {
        return;
      }
      batch = queue.take();
    }
    send(productCode, batch, 1);
  }

  private void send(String productCode, List<Entry> batch, int attempt) {
    BatchMeterUsageRequest request;
    CompletableFuture<BatchMeterUsageResponse> call;
    try {
      request = BatchMeterUsageRequest.builder().productCode(productCode)
          .usageRecords(batch.stream().map(Entry::record).toList()).build();
      call = sender.apply(request);
    } catch (RuntimeException e) {
      batch.forEach(entry -> entry.future.completeExceptionally(e));
      return;
    }
    call.whenComplete((response, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        batch.forEach(entry -> entry.future.completeExceptionally(cause));
      } else {
        answer(productCode, batch, response, attempt);
      }
    });
  }

  private void answer(String productCode, List<Entry> batch, BatchMeterUsageResponse response, int attempt) {
    Map<Key, Deque<Entry>> waiting = new HashMap<>();
    batch.forEach(entry -> waiting.computeIfAbsent(Key.of(entry.record), k -> new ArrayDeque<>()).add(entry));
    for (UsageRecordResult result : response.results()) {
      Entry entry = result.usageRecord().map(r -> poll(waiting, r)).orElse(null);
      if (entry != null) {
        entry.future.complete(result);
      }
    }
    List<Entry> again = new ArrayList<>();
    for (UsageRecord record : response.unprocessedRecords()) {
      Entry entry = poll(waiting, record);
      if (entry != null) {
        again.add(entry);
      }
    }
    waiting.values().forEach(left -> left.forEach(entry -> entry.future.completeExceptionally(
        new MeteringClientException("BatchMeterUsage for product " + productCode + " answered neither a result"
            + " nor an unprocessed record for this record; add it again to resend it"))));
    if (again.isEmpty()) {
      return;
    }
    if (attempt >= maxAttempts) {
      again.forEach(entry -> entry.future.completeExceptionally(new MeteringClientException(
          "the service left this record of product " + productCode + " unprocessed after " + attempt
              + " attempts; add it again later, or raise maxAttempts in client.batcher(...)", null, true)));
      return;
    }
    long ceiling = backoff.toNanos();
    for (int i = 1; i < attempt && ceiling < Long.MAX_VALUE / 2; i++) {
      ceiling *= 2;
    }
    long delay = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    try {
      scheduler.schedule(() -> send(productCode, again, attempt + 1), delay, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      again.forEach(entry -> entry.future.completeExceptionally(e));
    }
  }

  private static Entry poll(Map<Key, Deque<Entry>> waiting, UsageRecord record) {
    Deque<Entry> entries = waiting.get(Key.of(record));
    return entries == null ? null : entries.poll();
  }

  /**
   * Sends every waiting record, waits until each record's future has completed (including resends)
   * and stops the batcher's threads. Later calls to {@link #add} throw. Does not close the client.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed && scheduler.isShutdown()) {
        return;
      }
      closed = true;
      pending.values().forEach(queue -> {
        if (queue.timer != null) {
          queue.timer.cancel(false);
          queue.timer = null;
        }
      });
    }
    flush();
    boolean interrupted = false;
    while (!unanswered.isEmpty()) {
      try {
        CompletableFuture.allOf(unanswered.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get();
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      } catch (java.util.concurrent.ExecutionException e) {
        // allOf(...).exceptionally swallows failures; each record's future carries its own
      }
    }
    scheduler.shutdown();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A generous estimate of a record's JSON size: every character counted as a six-byte escape. */
  static int estimateBytes(UsageRecord record) {
    long bytes = 160 + 6L * (record.dimension().length() + record.customerIdentifier().map(String::length).orElse(0)
        + record.customerAwsAccountId().map(String::length).orElse(0)
        + record.licenseArn().map(String::length).orElse(0));
    for (UsageAllocation allocation : record.usageAllocations()) {
      bytes += 64;
      for (Tag tag : allocation.tags()) {
        bytes += 32 + 6L * (tag.key().length() + tag.value().length());
      }
    }
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }

  /** Settings of a batcher: pass them to {@code client.batcher(b -> ...)}. */
  public static final class Builder {
    private Duration maxDelay = Duration.ofMillis(200);
    private int maxAttempts = 3;
    private Duration backoff = Duration.ofMillis(100);

    private Builder() {}

    /**
     * How long a record may wait for 24 more of its product before it is sent anyway; 200 ms by
     * default.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxDelay(Duration maxDelay) {
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (maxDelay.isNegative()) {
        throw new IllegalArgumentException("maxDelay must be zero or more, got " + maxDelay);
      }
      this.maxDelay = maxDelay;
      return this;
    }

    /**
     * How many times a record is sent in all while the service returns it as unprocessed; 3 by
     * default.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be 1 or more, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait before the first resend of unprocessed records, doubled for each later one (with
     * jitter); 100 ms by default.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder backoff(Duration backoff) {
      Objects.requireNonNull(backoff, "backoff");
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("backoff must be zero or more, got " + backoff);
      }
      this.backoff = backoff;
      return this;
    }
  }

  private record Entry(UsageRecord record, CompletableFuture<UsageRecordResult> future, int bytes) {}

  /** What identifies a record in the service's answer: customer, dimension, hour and quantity. */
  private record Key(String customer, String dimension, long epochSecond, int quantity) {
    static Key of(UsageRecord r) {
      return new Key(r.customerAwsAccountId().or(r::customerIdentifier).orElse(""), r.dimension(),
          r.timestamp().getEpochSecond(), r.quantity());
    }
  }

  private final class Pending {
    final List<Entry> entries = new ArrayList<>();
    int bytes;
    ScheduledFuture<?> timer;

    /** Removes and returns the waiting records; the caller holds the lock. */
    List<Entry> take() {
      List<Entry> batch = new ArrayList<>(entries);
      entries.clear();
      bytes = 0;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      return batch;
    }
  }
}

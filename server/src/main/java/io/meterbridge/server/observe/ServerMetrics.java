package io.meterbridge.server.observe;

import io.meterbridge.exception.ErrorCode;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.CallListener;
import io.meterbridge.server.CallRecord;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreLoad;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The server's metrics, in Micrometer, scraped in the Prometheus text format at {@code /metrics}
 * (every metric is listed in {@code docs/admin-api.md}, "Metrics").
 *
 * <p>The hot path stays cheap: every meter a call can touch is registered before the first call,
 * found by array index (operation, then outcome: success or one of the model's error codes) rather
 * than by building tags per call, and is a striped counter or a fixed-bucket histogram. The store's
 * queue, commits and pool are read only when scraped.
 */
public final class ServerMetrics implements CallListener, AutoCloseable {
  /** Latency buckets: a call answered from memory takes well under a millisecond, one that waits for a commit a few. */
  private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5)};
  private static final String SUCCESS = "success";
  private static final String OTHER_ERROR = "other";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final List<Operation<?, ?>> operations = Operation.values();
  private final Map<String, Integer> outcomeIndex = new HashMap<>();
  private final List<String> outcomeNames;
  private final Map<String, Integer> operationIndex = new HashMap<>();
  /**
   * [operation][outcome]: 0 success, 1 + error code ordinal, last: any other code. Cells are
   * written once under the lock and read without it: a reader that sees null registers (idempotent).
   */
  private final Counter[][] calls;
  private final Timer[][] latency;
  private final Counter[] throttled;
  private final Counter[] records;
  private final Counter unprocessed;
  private final Counter plainCalls;
  private final Counter refusedUnparsed;

  public ServerMetrics(Store store) {
    List<String> outcomes = new java.util.ArrayList<>();
    outcomes.add(SUCCESS);
    for (ErrorCode code : ErrorCode.values()) {
      outcomes.add(code.code());
    }
    outcomes.add(OTHER_ERROR);
    outcomeNames = List.copyOf(outcomes);
    for (int i = 0; i < outcomes.size(); i++) {
      outcomeIndex.put(outcomes.get(i), i);
    }
    calls = new Counter[operations.size()][outcomes.size()];
    latency = new Timer[operations.size()][outcomes.size()];
    throttled = new Counter[operations.size()];
    for (int o = 0; o < operations.size(); o++) {
      String operation = operations.get(o).name();
      operationIndex.put(operation, o);
      register(o, 0);
      throttled[o] = Counter.builder("meterbridge.throttled.calls").description("API calls refused by the quota")
          .tags("operation", operation).register(registry);
    }
    UsageRecordResultStatus[] statuses = UsageRecordResultStatus.values();
    records = new Counter[statuses.length];
    for (UsageRecordResultStatus s : statuses) {
      records[s.ordinal()] = Counter.builder("meterbridge.records")
          .description("Usage records of successful BatchMeterUsage and MeterUsage calls, by result status")
          .tags("status", s.wireValue()).register(registry);
    }
    unprocessed = Counter.builder("meterbridge.records").tags("status", "Unprocessed").register(registry);
    plainCalls = Counter.builder("meterbridge.plain.requests")
        .description("Requests to the admin API, key download, health and metrics").register(registry);
    refusedUnparsed = Counter.builder("meterbridge.refused.requests")
        .description("Requests refused before any operation was known (malformed HTTP, wrong path or method)")
        .register(registry);

    gauge("meterbridge.store.write.queue", "Metering writes waiting for the group-commit writer", store,
        s -> s.load().writeQueue());
    counter("meterbridge.store.commits", "Group commits of the metering writer", store, s -> s.load().commits());
    counter("meterbridge.store.committed.records",
        "Records in the group commits (divide by meterbridge_store_commits_total for the mean group size)", store,
        s -> s.load().committedRecords());
    gauge("meterbridge.store.pool.active", "Pooled connections in use", store, s -> s.load().poolActive());
    gauge("meterbridge.store.pool.idle", "Pooled connections idle", store, s -> s.load().poolIdle());
    gauge("meterbridge.store.pool.pending", "Threads waiting for a pooled connection", store,
        s -> s.load().poolWaiting());
    gauge("meterbridge.store.pool.max", "The pool's size", store, s -> s.load().poolMax());
    gauge("meterbridge.audit.queue", "Audit entries waiting to be written", store, s -> s.load().auditQueue());
    counter("meterbridge.audit.dropped", "Audit entries lost (queue full or write failed)", store,
        s -> s.load().auditDropped());

    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Registers the meters of one (operation, outcome) cell. Successes are registered up front; an
   * error cell on its first call (then found by index like the rest), so that the exposition does
   * not list a histogram for each of the 30-odd error codes that never happened.
   */
  private synchronized void register(int operation, int outcome) {
    if (calls[operation][outcome] != null) {
      return;
    }
    String name = operations.get(operation).name();
    String outcomeName = outcomeNames.get(outcome);
    latency[operation][outcome] = Timer.builder("meterbridge.call.duration")
        .description("From reading an API call to its answer being ready, by operation and outcome")
        .tags("operation", name, "outcome", outcomeName)
        .serviceLevelObjectives(BUCKETS).register(registry);
    calls[operation][outcome] = Counter.builder("meterbridge.calls")
        .description("API calls answered, by operation and outcome")
        .tags("operation", name, "outcome", outcomeName).register(registry);
  }

  private void gauge(String name, String description, Store store, ToDoubleFunction<Store> value) {
    Gauge.builder(name, store, value).description(description).register(registry);
  }

  private void counter(String name, String description, Store store, ToLongFunction<Store> value) {
    FunctionCounter.builder(name, store, s -> value.applyAsLong(s)).description(description).register(registry);
  }

  @Override
  public void completed(CallRecord call) {
    if (!call.api()) {
      String op = call.operation();
      if (op.contains(" /admin") || op.contains(" /keys") || op.endsWith(" /health") || op.endsWith(" /metrics")) {
        plainCalls.increment();
      } else {
        refusedUnparsed.increment();
      }
      return;
    }
    Integer o = operationIndex.get(call.operation());
    if (o == null) {
      return;
    }
    int outcome;
    if (call.status() >= 200 && call.status() < 300) {
      outcome = 0;
    } else {
      Integer k = outcomeIndex.get(call.errorCode());
      outcome = k == null ? outcomeIndex.get(OTHER_ERROR) : k;
    }
    Counter counter = calls[o][outcome];
    if (counter == null) {
      register(o, outcome);
      counter = calls[o][outcome];
    }
    counter.increment();
    latency[o][outcome].record(call.latencyNanos(), TimeUnit.NANOSECONDS);
    if (call.errorCode().equals(ThrottlingException.CODE)) {
      throttled[o].increment();
    }
    Object response = call.response();
    if (response instanceof BatchMeterUsageResponse batch) {
      for (UsageRecordResult r : batch.results()) {
        r.status().ifPresent(s -> records[s.ordinal()].increment());
      }
      if (!batch.unprocessedRecords().isEmpty()) {
        unprocessed.increment(batch.unprocessedRecords().size());
      }
    } else if (response instanceof MeterUsageResponse) {
      records[UsageRecordResultStatus.SUCCESS.ordinal()].increment();
    }
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  @Override
  public String toString() {
    return "ServerMetrics";
  }
}

package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.RecordState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The gateway's metrics, scraped in the Prometheus text format at {@code GET /metrics}: records by
 * state, the oldest open deadline, records near their deadline, the quota and its use (from one
 * {@link GatewayStatus} read per scrape, over every process sharing the database), upstream calls
 * and errors (this process), and the JVM. Nothing is counted on the ingest path: a scrape reads
 * what the ledger already knows.
 */
final class GatewayMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Supplier<GatewayStatus> status;
  private final UpstreamStats upstream;
  private final Set<String> errorCodes = new HashSet<>();
  private volatile GatewayStatus last;

  GatewayMetrics(Supplier<GatewayStatus> status, UpstreamStats upstream) {
    this.status = status;
    this.upstream = upstream;
    for (RecordState state : RecordState.values()) {
      Gauge.builder("meterbridge.gateway.records", this, m -> m.last == null ? 0 : m.last.count(state))
          .description("Records in the ledger, by state").tags("state", state.wireName()).register(registry);
    }
    Gauge.builder("meterbridge.gateway.oldest.open.deadline", this,
            m -> m.last == null ? Double.NaN
                : m.last.oldestOpenDeadline().map(d -> d.toEpochMilli() / 1000.0).orElse(Double.NaN))
        .description("Epoch seconds of the earliest deadline of a record not yet sent (NaN when none)")
        .baseUnit("seconds").register(registry);
    Gauge.builder("meterbridge.gateway.deadline.alerts", this, m -> m.last == null ? 0 : m.last.alerts())
        .description("Unsent records within alert-before of their deadline").register(registry);
    Gauge.builder("meterbridge.gateway.quota.per.second", this, m -> m.last == null ? 0 : m.last.quotaPerSecond())
        .description("The account's BatchMeterUsage quota the gateway paces to").register(registry);
    Gauge.builder("meterbridge.gateway.quota.in.use", this, m -> m.last == null ? 0 : m.last.quotaInUse())
        .description("BatchMeterUsage calls a second over the last complete 10-second window, all processes")
        .register(registry);
    FunctionCounter.builder("meterbridge.gateway.upstream.calls", upstream, UpstreamStats::calls)
        .description("BatchMeterUsage calls made upstream by this process").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Reads the status once (blocking: a worker thread), then writes every meter. */
  synchronized String scrape() {
    last = status.get();
    for (Map.Entry<String, LongAdder> e : upstream.errors().entrySet()) {
      if (errorCodes.add(e.getKey())) {
        LongAdder adder = e.getValue();
        FunctionCounter.builder("meterbridge.gateway.upstream.errors", adder, LongAdder::sum)
            .description("Upstream calls that failed, by error code").tags("code", e.getKey()).register(registry);
      }
    }
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}

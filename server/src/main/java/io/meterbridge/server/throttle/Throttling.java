package io.meterbridge.server.throttle;

import io.meterbridge.model.Operation;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Request quotas per account and operation, as token buckets: {@code rate} tokens a second
 * refill a bucket of {@code burst} tokens, and a call that finds its bucket empty fails with
 * {@code ThrottlingException} "Rate exceeded". Immutable; each method returns a new instance.
 *
 * <p>{@link #defaults()} are the published quotas of the service (per account and region):
 * BatchMeterUsage and MeterUsage 10/s, RegisterUsage 5/s, ResolveCustomer unlimited (AWS lists no
 * quota). The burst equals the rate, so an idle account may spend one second's worth at once.
 *
 * <pre>{@code
 * Throttling.defaults().rate(Operation.BATCH_METER_USAGE, 5_000)   // a benchmark
 * Throttling.off()                                                  // no quotas at all
 * }</pre>
 */
public final class Throttling {
  /**
   * One operation's bucket.
   *
   * @param perSecond tokens added per second, above 0
   * @param burst the bucket's size, at least 1
   */
  public record Limit(double perSecond, int burst) {
    public Limit {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("throttling rate must be a positive number, was " + perSecond);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("throttling burst must be at least 1, was " + burst);
      }
    }
  }

  private static final Throttling OFF = new Throttling(Map.of());
  private static final Throttling DEFAULTS = OFF
      .rate(Operation.BATCH_METER_USAGE, 10)
      .rate(Operation.METER_USAGE, 10)
      .rate(Operation.REGISTER_USAGE, 5);

  private final Map<String, Limit> limits;

  private Throttling(Map<String, Limit> limits) {
    this.limits = Map.copyOf(limits);
  }

  /** The published quotas: 10/s, 10/s, 5/s and unlimited ResolveCustomer, burst = rate. */
  public static Throttling defaults() {
    return DEFAULTS;
  }

  /** No quotas: every operation unlimited. */
  public static Throttling off() {
    return OFF;
  }

  /** {@code operation} limited to {@code perSecond} calls a second, with a burst of the same size. */
  public Throttling rate(Operation<?, ?> operation, double perSecond) {
    return rate(operation, perSecond, (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(perSecond))));
  }

  /** {@code operation} limited to {@code perSecond} calls a second, with bursts up to {@code burst}. */
  public Throttling rate(Operation<?, ?> operation, double perSecond, int burst) {
    Objects.requireNonNull(operation, "operation");
    Map<String, Limit> copy = new HashMap<>(limits);
    copy.put(operation.name(), new Limit(perSecond, burst));
    return new Throttling(copy);
  }

  /** {@code operation} not limited. */
  public Throttling unlimited(Operation<?, ?> operation) {
    Objects.requireNonNull(operation, "operation");
    Map<String, Limit> copy = new HashMap<>(limits);
    copy.remove(operation.name());
    return new Throttling(copy);
  }

  /** The limit of {@code operation}; empty when it is unlimited. */
  public Optional<Limit> limit(Operation<?, ?> operation) {
    return Optional.ofNullable(limits.get(operation.name()));
  }

  /** Whether any operation is limited. */
  public boolean enabled() {
    return !limits.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Throttling t && t.limits.equals(limits);
  }

  @Override
  public int hashCode() {
    return limits.hashCode();
  }

  @Override
  public String toString() {
    return limits.isEmpty() ? "Throttling[off]" : "Throttling" + limits;
  }
}

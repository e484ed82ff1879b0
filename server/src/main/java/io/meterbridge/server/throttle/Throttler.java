package io.meterbridge.server.throttle;

import io.meterbridge.model.Operation;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Enforces a {@link Throttling} per account, Region and operation, as AWS's quotas are: an account
 * that calls two Regions of the server has two sets of buckets. Thread-safe and lock-free: each
 * bucket is one {@code long} updated by compare-and-set (the generic cell rate algorithm, which is
 * a token bucket stored as the time at which the bucket will be full again).
 *
 * <p>Buckets are kept per account for the server's lifetime; accounts are the server's own
 * registered ones, so the maps stay small. The Regions are the server's: a call addressed to any
 * other (possible only without signature checks) shares one set of maps, so that no caller can
 * grow them by naming Regions.
 */
public final class Throttler {
  private static final List<Operation<?, ?>> OPERATIONS = Operation.values();
  private static final long NEVER = Long.MIN_VALUE / 2;

  private final long[] intervalNanos;  // per operation; 0 = unlimited
  private final long[] toleranceNanos; // interval * burst
  private final boolean enabled;
  private final LongSupplier nanoClock;
  private final Map<String, ConcurrentHashMap<String, AtomicLongArray>> regions;
  private final ConcurrentHashMap<String, AtomicLongArray> otherRegions = new ConcurrentHashMap<>();

  /** A throttler for the server's {@code regions}, on the system's monotonic clock. */
  public Throttler(Throttling throttling, Collection<String> regions) {
    this(throttling, regions, System::nanoTime);
  }

  Throttler(Throttling throttling, Collection<String> regions, LongSupplier nanoClock) {
    Objects.requireNonNull(throttling, "throttling");
    Map<String, ConcurrentHashMap<String, AtomicLongArray>> byRegion = new HashMap<>();
    for (String region : regions) {
      byRegion.put(region, new ConcurrentHashMap<>());
    }
    this.regions = Map.copyOf(byRegion);
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    int n = OPERATIONS.size();
    intervalNanos = new long[n];
    toleranceNanos = new long[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      throttling.limit(OPERATIONS.get(i)).ifPresent(limit -> {
        long interval = Math.max(1, Math.round(1e9 / limit.perSecond()));
        intervalNanos[index] = interval;
        toleranceNanos[index] = saturatedMultiply(interval, limit.burst());
      });
    }
    enabled = throttling.enabled();
  }

  /**
   * Takes a token for a call of {@code operation} by {@code accountId} in {@code region}; false when
   * none is left.
   */
  public boolean tryAcquire(String accountId, String region, Operation<?, ?> operation) {
    if (!enabled) {
      return true;
    }
    int op = OPERATIONS.indexOf(operation);
    long interval = intervalNanos[op];
    if (interval == 0) {
      return true;
    }
    ConcurrentHashMap<String, AtomicLongArray> accounts = regions.getOrDefault(region, otherRegions);
    AtomicLongArray buckets = accounts.get(accountId);
    if (buckets == null) {
      buckets = accounts.computeIfAbsent(accountId, k -> newBuckets());
    }
    long tolerance = toleranceNanos[op];
    while (true) {
      long now = nanoClock.getAsLong();
      long full = buckets.get(op);       // when the bucket would be full again
      long next = Math.max(full, now) + interval;
      if (next - now > tolerance) {
        return false;
      }
      if (buckets.compareAndSet(op, full, next)) {
        return true;
      }
    }
  }

  private static AtomicLongArray newBuckets() {
    AtomicLongArray buckets = new AtomicLongArray(OPERATIONS.size());
    for (int i = 0; i < buckets.length(); i++) {
      buckets.set(i, NEVER);
    }
    return buckets;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) ? low : Long.MAX_VALUE / 4;
  }
}

package io.meterbridge.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When and how often the client repeats a failed attempt. Immutable.
 *
 * <p>Every mode retries the same failures: service errors that are
 * {@linkplain io.meterbridge.exception.MeteringException#retryable() retryable} (throttling and 5xx
 * faults), I/O failures ({@link TransportException}) and attempt timeouts
 * ({@link ApiCallAttemptTimeoutException}). It never retries a request the model rejects
 * ({@link io.meterbridge.exception.InvalidRequestException}) or any other 4xx error.
 *
 * <ul>
 *   <li>{@link Mode#STANDARD}: up to {@link #maxAttempts()} attempts with exponential backoff and
 *       full jitter: before attempt <i>n</i>+1 the client waits a random time in
 *       {@code [0, min(maxBackoff, base × 2^(n-1))]}, where {@code base} is {@link #baseDelay()}
 *       (100 ms) or, after a throttling error, {@link #throttlingBaseDelay()} (1 s). A retry quota
 *       (a token bucket of 500 shared by all calls of the client; a retry costs 5, a retry after a
 *       timeout 10, a success gives back what its retries took, or 1 when it needed none) stops
 *       retry storms when the service is down.
 *   <li>{@link Mode#ADAPTIVE}: standard, plus a client-side rate limiter. After the first throttling
 *       error every attempt first takes a token from a bucket; the bucket's fill rate drops
 *       multiplicatively (× 0.7 of the measured send rate) on each throttling error and rises
 *       additively (+0.5 requests per second per success) after successes (AIMD). Use it when many threads share one client and one quota,
 *       such as a fleet of BatchMeterUsage senders.
 * </ul>
 *
 * <pre>{@code
 * MeteringClient client = MeteringClient.builder()
 *     .region("us-east-1")
 *     .retryPolicy(RetryPolicy.standard().toBuilder().maxAttempts(5).build())
 *     .build();
 * }</pre>
 */
public final class RetryPolicy {
  /** How the client retries. */
  public enum Mode {
    /** Exponential backoff with full jitter and a retry quota, as the AWS SDKs' standard mode. */
    STANDARD,
    /** Standard plus a client-side rate limiter that slows down on throttling. */
    ADAPTIVE
  }

  private static final RetryPolicy STANDARD = builder().build();
  private static final RetryPolicy ADAPTIVE = builder().mode(Mode.ADAPTIVE).build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).retryQuota(false).build();

  private final Mode mode;
  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration throttlingBaseDelay;
  private final Duration maxBackoff;
  private final boolean retryQuota;

  private RetryPolicy(Builder b) {
    this.mode = b.mode;
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.throttlingBaseDelay = b.throttlingBaseDelay;
    this.maxBackoff = b.maxBackoff;
    this.retryQuota = b.retryQuota;
  }

  /**
   * The default: standard mode, 3 attempts, 100 ms base, 1 s base after throttling, 20 s cap.
   *
   * <pre>{@code
   * RetryPolicy policy = RetryPolicy.standard();
   * }</pre>
   */
  public static RetryPolicy standard() {
    return STANDARD;
  }

  /**
   * Adaptive mode with the standard settings.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder().region("us-east-1")
   *     .retryPolicy(RetryPolicy.adaptive()).build();
   * }</pre>
   */
  public static RetryPolicy adaptive() {
    return ADAPTIVE;
  }

  /**
   * One attempt, no retries: every failure reaches the caller at once.
   *
   * <pre>{@code
   * MeteringClient client = MeteringClient.builder().region("us-east-1")
   *     .retryPolicy(RetryPolicy.none()).build();
   * }</pre>
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * A builder holding the standard settings.
   *
   * <pre>{@code
   * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).maxBackoff(Duration.ofSeconds(5)).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this policy's settings.
   *
   * <pre>{@code
   * RetryPolicy patient = RetryPolicy.adaptive().toBuilder().maxAttempts(10).build();
   * }</pre>
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The retry mode.
   *
   * <pre>{@code
   * boolean limits = policy.mode() == RetryPolicy.Mode.ADAPTIVE;
   * }</pre>
   */
  public Mode mode() {
    return mode;
  }

  /**
   * How many attempts a call makes at most, the first one included; 1 means no retries.
   *
   * <pre>{@code
   * int attempts = RetryPolicy.standard().maxAttempts(); // 3
   * }</pre>
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The backoff base for errors other than throttling.
   *
   * <pre>{@code
   * Duration base = RetryPolicy.standard().baseDelay(); // PT0.1S
   * }</pre>
   */
  public Duration baseDelay() {
    return baseDelay;
  }

  /**
   * The backoff base after a throttling error.
   *
   * <pre>{@code
   * Duration base = RetryPolicy.standard().throttlingBaseDelay(); // PT1S
   * }</pre>
   */
  public Duration throttlingBaseDelay() {
    return throttlingBaseDelay;
  }

  /**
   * The longest wait between two attempts.
   *
   * <pre>{@code
   * Duration cap = RetryPolicy.standard().maxBackoff(); // PT20S
   * }</pre>
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Whether retries draw on the client's retry quota.
   *
   * <pre>{@code
   * boolean guarded = RetryPolicy.standard().retryQuota(); // true
   * }</pre>
   */
  public boolean retryQuota() {
    return retryQuota;
  }

  /**
   * The wait before the attempt after {@code failedAttempt}, drawn with full jitter.
   *
   * <pre>{@code
   * Duration wait = policy.backoff(1, true, ThreadLocalRandom.current()::nextDouble); // within [0, 1 s]
   * }</pre>
   *
   * @param failedAttempt the number of the attempt that just failed, from 1
   * @param throttled whether it failed with a throttling error
   * @param random uniform values in {@code [0, 1)}
   */
  public Duration backoff(int failedAttempt, boolean throttled, DoubleSupplier random) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("failedAttempt must be at least 1, was " + failedAttempt);
    }
    long base = (throttled ? throttlingBaseDelay : baseDelay).toNanos();
    long cap = maxBackoff.toNanos();
    int shift = Math.min(failedAttempt - 1, 62);
    long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    return Duration.ofNanos((long) (random.getAsDouble() * ceiling));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p && p.mode == mode && p.maxAttempts == maxAttempts
        && p.baseDelay.equals(baseDelay) && p.throttlingBaseDelay.equals(throttlingBaseDelay)
        && p.maxBackoff.equals(maxBackoff) && p.retryQuota == retryQuota;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff, retryQuota);
  }

  @Override
  public String toString() {
    return "RetryPolicy[mode=" + mode + ", maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay
        + ", throttlingBaseDelay=" + throttlingBaseDelay + ", maxBackoff=" + maxBackoff
        + ", retryQuota=" + retryQuota + "]";
  }

  /**
   * Builds {@link RetryPolicy}s; each setter checks its value at once. Not thread-safe.
   *
   * <pre>{@code
   * RetryPolicy policy = RetryPolicy.builder().mode(RetryPolicy.Mode.ADAPTIVE).maxAttempts(4).build();
   * }</pre>
   */
  public static final class Builder {
    private Mode mode = Mode.STANDARD;
    private int maxAttempts = 3;
    private Duration baseDelay = Duration.ofMillis(100);
    private Duration throttlingBaseDelay = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private boolean retryQuota = true;

    private Builder() {}

    private Builder(RetryPolicy p) {
      mode = p.mode;
      maxAttempts = p.maxAttempts;
      baseDelay = p.baseDelay;
      throttlingBaseDelay = p.throttlingBaseDelay;
      maxBackoff = p.maxBackoff;
      retryQuota = p.retryQuota;
    }

    /**
     * The retry mode; {@link Mode#STANDARD} by default.
     *
     * <pre>{@code
     * builder.mode(RetryPolicy.Mode.ADAPTIVE);
     * }</pre>
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Attempts per call, the first included; 3 by default, 1 disables retries.
     *
     * <pre>{@code
     * builder.maxAttempts(5);
     * }</pre>
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The backoff base for errors other than throttling; 100 ms by default.
     *
     * <pre>{@code
     * builder.baseDelay(Duration.ofMillis(50));
     * }</pre>
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = nonNegative("baseDelay", baseDelay);
      return this;
    }

    /**
     * The backoff base after a throttling error; 1 s by default.
     *
     * <pre>{@code
     * builder.throttlingBaseDelay(Duration.ofMillis(500));
     * }</pre>
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder throttlingBaseDelay(Duration throttlingBaseDelay) {
      this.throttlingBaseDelay = nonNegative("throttlingBaseDelay", throttlingBaseDelay);
      return this;
    }

    /**
     * The longest wait between attempts; 20 s by default.
     *
     * <pre>{@code
     * builder.maxBackoff(Duration.ofSeconds(5));
     * }</pre>
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = nonNegative("maxBackoff", maxBackoff);
      return this;
    }

    /**
     * Whether retries draw on a per-client retry quota; on by default.
     *
     * <pre>{@code
     * builder.retryQuota(false); // every call may retry up to maxAttempts, even during an outage
     * }</pre>
     */
    public Builder retryQuota(boolean retryQuota) {
      this.retryQuota = retryQuota;
      return this;
    }

    /**
     * The policy.
     *
     * <pre>{@code
     * RetryPolicy policy = builder.build();
     * }</pre>
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, was " + value);
      }
      return value;
    }
  }
}

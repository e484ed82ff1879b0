package io.meterbridge.client.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The client-side rate limiter of adaptive retry mode: a token bucket whose fill rate follows AIMD.
 *
 * <ul>
 *   <li>Until the first throttling error it is off: attempts go out at once.
 *   <li>On a throttling error the rate becomes {@code max(MIN_RATE, BETA × r)}, where {@code r} is
 *       the measured send rate (attempts in the last second) or, if lower, the current rate.
 *   <li>On each success the rate grows by {@link #INCREASE} requests per second, up to
 *       {@link #MAX_RATE}; far above any quota of the service, the limiter is then harmless.
 * </ul>
 *
 * <p>Callers reserve a token before each attempt and are told how long to wait for it; tokens may
 * go negative, so concurrent callers queue fairly without anyone blocking a thread. The AWS SDKs
 * use CUBIC for the increase; AIMD recovers more slowly after a long throttled period, which is the
 * safer error for metering.
 */
final class AdaptiveRateLimiter {
  static final double MIN_RATE = 0.5;
  static final double MAX_RATE = 10_000;
  static final double BETA = 0.7;
  static final double INCREASE = 0.5;

  private final LongSupplier nanoTime;
  private boolean enabled;
  private double rate = MAX_RATE;
  private double tokens;
  private long lastRefill;
  // Send-rate measurement: attempts counted in one-second windows.
  private long windowStart;
  private int windowCount;
  private double measuredRate;

  public AdaptiveRateLimiter() {
    this(System::nanoTime);
  }

  public AdaptiveRateLimiter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.lastRefill = now;
    this.windowStart = now;
  }

  /** Reserves a token for one attempt; the result is how long to wait before sending it. */
  public synchronized Duration acquire() {
    long now = nanoTime.getAsLong();
    countAttempt(now);
    if (!enabled) {
      return Duration.ZERO;
    }
    refill(now);
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (-tokens / rate * 1e9));
  }

  /** The service throttled an attempt. */
  public synchronized void onThrottle() {
    long now = nanoTime.getAsLong();
    double measured = Math.max(measuredRate, currentWindowRate(now));
    double base = enabled ? Math.min(rate, measured) : measured;
    refill(now);
    rate = Math.max(MIN_RATE, base * BETA);
    if (!enabled) {
      enabled = true;
      tokens = 0;
    }
    tokens = Math.min(tokens, 1);
  }

  /** An attempt got an answer that was not throttling. */
  public synchronized void onSuccess() {
    if (enabled) {
      refill(nanoTime.getAsLong());
      rate = Math.min(MAX_RATE, rate + INCREASE);
    }
  }

  /** The current fill rate in requests per second; {@link #MAX_RATE} until the first throttle. */
  public synchronized double rate() {
    return rate;
  }

  private void refill(long now) {
    double elapsed = (now - lastRefill) / 1e9;
    lastRefill = now;
    // A bucket holds at most one second's worth (at least one token), so an idle client
    // cannot save up a burst.
    tokens = Math.min(Math.max(1, rate), tokens + elapsed * rate);
  }

  private void countAttempt(long now) {
    if (now - windowStart >= 1_000_000_000L) {
      measuredRate = windowCount / ((now - windowStart) / 1e9);
      windowStart = now;
      windowCount = 0;
    }
    windowCount++;
  }

  private double currentWindowRate(long now) {
    double elapsed = Math.max((now - windowStart) / 1e9, 1.0);
    return windowCount / elapsed;
  }
}

package io.meterbridge.client.credentials;

import io.meterbridge.auth.AwsCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Caches temporary credentials and refreshes them before they expire.
 *
 * <p>Three zones, measured back from the expiry:
 *
 * <ul>
 *   <li>more than {@link #REFRESH_WINDOW} left: return the cached value, no I/O;
 *   <li>inside the refresh window but more than {@link #STALE_WINDOW} left: one caller refreshes
 *       while the others keep returning the cached value; if the refresh fails the cached value is
 *       kept and the next attempt waits {@link #RETRY_DELAY};
 *   <li>less than {@link #STALE_WINDOW} left, or nothing cached: callers wait for one refresh; if
 *       it fails but the cached value has not expired yet, it is still returned.
 * </ul>
 *
 * <p>Credentials without an expiry are cached for good.
 */
final class RefreshingCredentials implements CredentialsProvider {

  static final Duration REFRESH_WINDOW = Duration.ofMinutes(5);
  static final Duration STALE_WINDOW = Duration.ofMinutes(1);
  static final Duration RETRY_DELAY = Duration.ofSeconds(10);

  private final Supplier<AwsCredentials> fetch;
  private final Clock clock;
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile AwsCredentials cached;
  private volatile Instant nextAttempt = Instant.MIN;

  RefreshingCredentials(Supplier<AwsCredentials> fetch, Clock clock) {
    this.fetch = Objects.requireNonNull(fetch, "fetch");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public AwsCredentials resolveCredentials() {
    AwsCredentials current = cached;
    Instant now = clock.instant();
    if (current != null && !current.expiresBefore(now.plus(REFRESH_WINDOW))) {
      return current;
    }
    if (current != null && !current.expiresBefore(now.plus(STALE_WINDOW))) {
      // Prefetch: whoever gets the lock refreshes, nobody waits for it.
      if (now.isBefore(nextAttempt) || !refreshing.tryLock()) {
        return current;
      }
      try {
        return refresh(current);
      } finally {
        refreshing.unlock();
      }
    }
    if (current != null && !current.expiresBefore(now) && now.isBefore(nextAttempt)) {
      return current; // a refresh just failed: do not make every caller wait on it again
    }
    refreshing.lock();
    try {
      // Another caller may have refreshed while we waited for the lock.
      AwsCredentials latest = cached;
      Instant later = clock.instant();
      if (latest != null && latest != current
          && !latest.expiresBefore(later.plus(STALE_WINDOW))) {
        return latest;
      }
      // The caller ahead of us just failed: its still-valid value beats a second failed attempt.
      if (latest != null && !latest.expiresBefore(later) && later.isBefore(nextAttempt)) {
        return latest;
      }
      return refresh(latest);
    } finally {
      refreshing.unlock();
    }
  }

  private AwsCredentials refresh(AwsCredentials previous) {
    try {
      AwsCredentials fresh = Objects.requireNonNull(fetch.get(), "fetched credentials");
      cached = fresh;
      nextAttempt = Instant.MIN;
      return fresh;
    } catch (RuntimeException e) {
      Instant now = clock.instant();
      if (previous != null && !previous.expiresBefore(now)) {
        nextAttempt = now.plus(RETRY_DELAY);
        return previous;
      }
      throw e;
    }
  }
}

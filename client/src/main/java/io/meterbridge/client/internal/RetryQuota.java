package io.meterbridge.client.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The standard-mode retry quota of the AWS SDKs: a bucket of 500 tokens per client. A retry takes
 * 5 (10 after a timeout); a successful call returns what its retries took, or 1 token when it
 * needed none. An empty bucket means the service is failing for everyone: calls then fail at once
 * instead of multiplying the load.
 */
final class RetryQuota {
  public static final int CAPACITY = 500;
  public static final int RETRY_COST = 5;
  public static final int TIMEOUT_RETRY_COST = 10;
  public static final int NO_RETRY_INCREMENT = 1;

  private final AtomicInteger tokens = new AtomicInteger(CAPACITY);

  /** Takes {@code cost} tokens if there are that many. */
  public boolean tryAcquire(int cost) {
    while (true) {
      int now = tokens.get();
      if (now < cost) {
        return false;
      }
      if (tokens.compareAndSet(now, now - cost)) {
        return true;
      }
    }
  }

  /** A call succeeded after its retries took {@code spent} tokens. */
  public void release(int spent) {
    int back = spent == 0 ? NO_RETRY_INCREMENT : spent;
    tokens.accumulateAndGet(back, (now, add) -> Math.min(CAPACITY, now + add));
  }

  /** The tokens left. */
  public int available() {
    return tokens.get();
  }
}

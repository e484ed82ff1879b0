package io.meterbridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(now::get);

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void acquire_beforeAnyThrottle_neverWaits() {
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.acquire()).isZero();
    }
  }

  @Test
  void onThrottle_cutsTheRateBelowTheMeasuredSendRate() {
    for (int i = 0; i < 10; i++) {
      limiter.acquire();
      advance(Duration.ofMillis(100));
    }

    limiter.onThrottle();

    assertThat(limiter.rate()).isLessThan(10 * 0.71).isGreaterThan(10 * 0.5);
    assertThat(limiter.acquire()).isGreaterThan(Duration.ZERO);
  }

  @Test
  void onThrottle_repeated_keepsHalvingDownToTheFloor() {
    limiter.acquire();
    for (int i = 0; i < 30; i++) {
      limiter.onThrottle();
    }

    assertThat(limiter.rate()).isEqualTo(AdaptiveRateLimiter.MIN_RATE);
  }

  @Test
  void onSuccess_afterThrottle_raisesTheRateAndShortensWaits() {
    limiter.acquire();
    limiter.onThrottle();
    double throttled = limiter.rate();
    Duration firstWait = limiter.acquire();

    for (int i = 0; i < 10; i++) {
      limiter.onSuccess();
    }

    assertThat(limiter.rate()).isEqualTo(throttled + 10 * AdaptiveRateLimiter.INCREASE);
    assertThat(limiter.acquire()).isLessThan(firstWait.multipliedBy(2));
  }

  @Test
  void acquire_concurrentCallersAfterThrottle_queueOneTokenApart() {
    limiter.acquire();
    limiter.onThrottle();
    double rate = limiter.rate();

    Duration first = limiter.acquire();
    Duration second = limiter.acquire();

    assertThat(second.minus(first).toMillis()).isCloseTo((long) (1000 / rate), org.assertj.core.data.Offset.offset(2L));
  }
}

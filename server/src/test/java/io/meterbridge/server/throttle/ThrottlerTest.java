package io.meterbridge.server.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.model.Operation;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ThrottlerTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  Throttler throttler(Throttling throttling) {
    return new Throttler(throttling, java.util.List.of("us-east-1", "eu-west-1"), now::get);
  }

  long granted(Throttler throttler, String account, Operation<?, ?> op, int attempts) {
    return IntStream.range(0, attempts).filter(i -> throttler.tryAcquire(account, "us-east-1", op)).count();
  }

  @Test
  void defaults_grantTenBatchMeterUsageCallsAtOnce_andRefuseTheEleventh() {
    Throttler throttler = throttler(Throttling.defaults());

    assertThat(granted(throttler, "a", Operation.BATCH_METER_USAGE, 10)).isEqualTo(10);
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.BATCH_METER_USAGE)).isFalse();
  }

  @Test
  void defaults_areThePublishedQuotas() {
    Throttler throttler = throttler(Throttling.defaults());

    assertThat(granted(throttler, "a", Operation.METER_USAGE, 20)).isEqualTo(10);
    assertThat(granted(throttler, "a", Operation.REGISTER_USAGE, 20)).isEqualTo(5);
    assertThat(granted(throttler, "a", Operation.RESOLVE_CUSTOMER, 1000)).isEqualTo(1000);
  }

  @Test
  void aToken_comesBackAfterOneTenthOfASecondAtTenPerSecond() {
    Throttler throttler = throttler(Throttling.defaults());
    granted(throttler, "a", Operation.METER_USAGE, 10);

    now.addAndGet(99_000_000L);
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isFalse();
    now.addAndGet(1_000_000L);
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isTrue();
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isFalse();
  }

  @Test
  void anIdleSecond_refillsTheWholeBurst_butNoMore() {
    Throttler throttler = throttler(Throttling.defaults());
    granted(throttler, "a", Operation.METER_USAGE, 10);

    now.addAndGet(60_000_000_000L);

    assertThat(granted(throttler, "a", Operation.METER_USAGE, 20)).isEqualTo(10);
  }

  @Test
  void buckets_arePerRegion_asAwsQuotasAre() {
    Throttler throttler = throttler(Throttling.defaults());
    granted(throttler, "a", Operation.METER_USAGE, 10);

    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isFalse();
    assertThat(throttler.tryAcquire("a", "eu-west-1", Operation.METER_USAGE)).isTrue();
  }

  @Test
  void regionsTheServerDoesNotServe_shareOneSetOfBuckets() {
    Throttler throttler = throttler(Throttling.defaults());
    for (int i = 0; i < 10; i++) {
      assertThat(throttler.tryAcquire("a", "xx-fake-" + i, Operation.METER_USAGE)).isTrue();
    }

    assertThat(throttler.tryAcquire("a", "xx-other-1", Operation.METER_USAGE)).isFalse();
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isTrue();
  }

  @Test
  void buckets_arePerAccountAndPerOperation() {
    Throttler throttler = throttler(Throttling.defaults());
    granted(throttler, "a", Operation.METER_USAGE, 10);

    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.METER_USAGE)).isFalse();
    assertThat(throttler.tryAcquire("b", "us-east-1", Operation.METER_USAGE)).isTrue();
    assertThat(throttler.tryAcquire("a", "us-east-1", Operation.BATCH_METER_USAGE)).isTrue();
  }

  @Test
  void off_grantsEverything() {
    Throttler throttler = throttler(Throttling.off());

    assertThat(granted(throttler, "a", Operation.BATCH_METER_USAGE, 100_000)).isEqualTo(100_000);
  }

  @Test
  void raisedRate_withExplicitBurst_isHonoured() {
    Throttler throttler = throttler(Throttling.defaults().rate(Operation.BATCH_METER_USAGE, 5_000, 50));

    assertThat(granted(throttler, "a", Operation.BATCH_METER_USAGE, 100)).isEqualTo(50);
    now.addAndGet(1_000_000L); // 1 ms = 5 tokens
    assertThat(granted(throttler, "a", Operation.BATCH_METER_USAGE, 100)).isEqualTo(5);
  }

  @Test
  void unlimited_removesOneOperationsQuota() {
    Throttling throttling = Throttling.defaults().unlimited(Operation.METER_USAGE);

    assertThat(throttling.limit(Operation.METER_USAGE)).isEmpty();
    assertThat(throttling.limit(Operation.BATCH_METER_USAGE)).hasValue(new Throttling.Limit(10, 10));
    assertThat(granted(throttler(throttling), "a", Operation.METER_USAGE, 500)).isEqualTo(500);
  }

  @Test
  void fractionalRate_roundsTheBurstUp() {
    assertThat(Throttling.off().rate(Operation.METER_USAGE, 0.5).limit(Operation.METER_USAGE))
        .hasValue(new Throttling.Limit(0.5, 1));
  }

  @Test
  void nonPositiveRate_isRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> Throttling.off().rate(Operation.METER_USAGE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("throttling rate must be a positive number, was 0.0");
    assertThatThrownBy(() -> Throttling.off().rate(Operation.METER_USAGE, 10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("throttling burst must be at least 1, was 0");
  }

  @Test
  void concurrentCallers_neverGetMoreThanTheBurst() throws Exception {
    Throttler throttler = throttler(Throttling.defaults()); // the clock stands still
    AtomicLong granted = new AtomicLong();
    Thread[] threads = new Thread[8];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new Thread(() -> granted.addAndGet(granted(throttler, "a", Operation.METER_USAGE, 1000)));
      threads[i].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(granted).hasValue(10);
  }
}

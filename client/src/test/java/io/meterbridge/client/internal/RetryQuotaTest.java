package io.meterbridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryQuotaTest {
  @Test
  void tryAcquire_untilEmpty_thenRefuses() {
    RetryQuota quota = new RetryQuota();
    int granted = 0;
    while (quota.tryAcquire(RetryQuota.RETRY_COST)) {
      granted++;
    }

    assertThat(granted).isEqualTo(RetryQuota.CAPACITY / RetryQuota.RETRY_COST);
    assertThat(quota.available()).isZero();
  }

  @Test
  void release_givesBackWhatRetriesTookOrOneButNeverAboveCapacity() {
    RetryQuota quota = new RetryQuota();
    quota.tryAcquire(10);
    quota.release(10);
    quota.release(0);

    assertThat(quota.available()).isEqualTo(RetryQuota.CAPACITY);
  }
}

package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final double ALMOST_ONE = 0.999999;

  @Test
  void standard_hasTheSdkDefaults() {
    RetryPolicy policy = RetryPolicy.standard();

    assertThat(policy.mode()).isEqualTo(RetryPolicy.Mode.STANDARD);
    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.baseDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.throttlingBaseDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.retryQuota()).isTrue();
  }

  @Test
  void backoff_doublesPerAttemptWithinTheJitterCeiling() {
    RetryPolicy policy = RetryPolicy.standard();

    assertThat(policy.backoff(1, false, () -> ALMOST_ONE)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(policy.backoff(2, false, () -> ALMOST_ONE)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
    assertThat(policy.backoff(3, false, () -> 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoff(1, false, () -> 0.0)).isZero();
  }

  @Test
  void backoff_afterThrottling_usesTheLargerBase() {
    assertThat(RetryPolicy.standard().backoff(1, true, () -> 0.5)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void backoff_manyAttempts_isCappedAtMaxBackoff() {
    assertThat(RetryPolicy.standard().backoff(60, true, () -> ALMOST_ONE))
        .isBetween(Duration.ofMillis(19_999), Duration.ofSeconds(20));
  }

  @Test
  void none_makesOneAttempt() {
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void toBuilder_changesOnlyWhatIsSet() {
    RetryPolicy policy = RetryPolicy.adaptive().toBuilder().maxAttempts(7).build();

    assertThat(policy.mode()).isEqualTo(RetryPolicy.Mode.ADAPTIVE);
    assertThat(policy.maxAttempts()).isEqualTo(7);
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  @Test
  void builder_zeroAttempts_isRejectedWithTheValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1, was 0");
  }

  @Test
  void builder_negativeDelay_isRejectedWithTheValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseDelay must not be negative, was PT-0.001S");
  }
}

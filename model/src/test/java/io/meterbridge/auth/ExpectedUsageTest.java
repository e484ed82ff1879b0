package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.InvalidUsageSignatureException.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExpectedUsageTest {

  static final Instant NOW = Instant.parse("2026-08-01T12:00:00Z");
  static final UsageClaims CLAIMS = new UsageClaims("prod-x", 2, Optional.of("n-1"), NOW);
  static final ExpectedUsage EXPECTED = ExpectedUsage.of("prod-x", 2).withNonce("n-1");

  static KeyPair key;

  @BeforeAll
  static void generateKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = generator.generateKeyPair();
  }

  static void assertUnexpected(ExpectedUsage expected, UsageClaims claims, Instant now, String message) {
    assertThatThrownBy(() -> expected.check(claims, now))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_CLAIMS))
        .hasMessage(message);
  }

  @Test
  void matchingClaimsWithinTheToleranceAreReturned() {
    assertThat(EXPECTED.check(CLAIMS, NOW.plus(Duration.ofMinutes(5)))).isSameAs(CLAIMS);
    assertThat(EXPECTED.check(CLAIMS, NOW.minus(Duration.ofMinutes(5)))).isSameAs(CLAIMS);
  }

  @Test
  void anotherProductIsRefused() {
    assertUnexpected(ExpectedUsage.of("prod-y", 2).withNonce("n-1"), CLAIMS, NOW,
        "The product code is \"prod-x\", expected \"prod-y\"");
  }

  @Test
  void anotherKeyVersionIsRefused() {
    assertUnexpected(ExpectedUsage.of("prod-x", 1).withNonce("n-1"), CLAIMS, NOW,
        "The public key version is 2, expected 1");
  }

  @Test
  void anotherNonceIsRefused() {
    assertUnexpected(ExpectedUsage.of("prod-x", 2).withNonce("n-2"), CLAIMS, NOW,
        "The nonce is \"n-1\", expected \"n-2\"");
  }

  @Test
  void aNonceWhenNoneWasSentIsRefusedAndSoIsAMissingOne() {
    assertUnexpected(ExpectedUsage.of("prod-x", 2), CLAIMS, NOW, "The nonce is \"n-1\", expected absent");
    assertUnexpected(EXPECTED, new UsageClaims("prod-x", 2, Optional.empty(), NOW), NOW,
        "The nonce is absent, expected \"n-1\"");
  }

  @Test
  void anIssueTimeBeyondTheToleranceIsRefusedInEitherDirection() {
    ExpectedUsage strict = EXPECTED.withTolerance(Duration.ofSeconds(30));

    assertUnexpected(strict, CLAIMS, NOW.plusSeconds(31),
        "The signature was issued at 2026-08-01T12:00:00Z, more than PT30S from now (2026-08-01T12:00:31Z)");
    assertUnexpected(strict, CLAIMS, NOW.minusSeconds(31),
        "The signature was issued at 2026-08-01T12:00:00Z, more than PT30S from now (2026-08-01T11:59:29Z)");
  }

  @Test
  void verifyChecksTheSignatureThenTheClaimsAgainstTheClock() {
    UsageClaims fresh = new UsageClaims("prod-x", 2, Optional.of("n-1"), Instant.now());
    UsageClaims stale = new UsageClaims("prod-x", 2, Optional.of("n-1"), Instant.now().minus(Duration.ofHours(1)));

    assertThat(EXPECTED.verify(UsageSignature.sign(fresh, key.getPrivate()), key.getPublic())).isEqualTo(fresh);
    assertThatThrownBy(() -> EXPECTED.verify(UsageSignature.sign(stale, key.getPrivate()), key.getPublic()))
        .isInstanceOfSatisfying(InvalidUsageSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_CLAIMS));
  }

  @Test
  void aNegativeToleranceOrAVersionBelowOneIsRejected() {
    assertThatThrownBy(() -> EXPECTED.withTolerance(Duration.ofSeconds(-1)))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("tolerance is negative: PT-1S");
    assertThatThrownBy(() -> ExpectedUsage.of("prod-x", 0))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("publicKeyVersion must be 1 or more, was 0");
  }
}

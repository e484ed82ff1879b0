package io.meterbridge.auth;

import static io.meterbridge.auth.InvalidUsageSignatureException.Reason.UNEXPECTED_CLAIMS;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What buyers' software expects a RegisterUsage signature to say: its product, the public key
 * version it asked for, the nonce it sent (or none), and a recent issue time.
 *
 * <pre>{@code
 * String nonce = UUID.randomUUID().toString();
 * RegisterUsageResponse response = client.registerUsage(... nonce ...);
 * UsageClaims claims = ExpectedUsage.of("4b7xmpe1k1fh8x9b4mb2jzq39", 1)
 *     .withNonce(nonce)
 *     .verify(response.signature(), publicKeyV1);
 * }</pre>
 *
 * <p>The nonce is compared exactly: without {@link #withNonce}, a token that carries a nonce is
 * refused too, since the caller sent none. The issue time must be within {@link #tolerance} of
 * now, in either direction, to allow for clock skew; the token's {@code iat} has whole seconds.
 *
 * @param productCode the product code the software belongs to
 * @param publicKeyVersion the public key version it asked for
 * @param nonce the nonce it sent, if any
 * @param tolerance how far the issue time may be from now, {@link #DEFAULT_TOLERANCE} unless set
 */
public record ExpectedUsage(
    String productCode, int publicKeyVersion, Optional<String> nonce, Duration tolerance) {

  /** Five minutes: RegisterUsage is checked right after the call, so a token is at most seconds old. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /**
   * Validates the expectation.
   *
   * @throws IllegalArgumentException if the version is below 1 or the tolerance is negative
   */
  public ExpectedUsage {
    Objects.requireNonNull(productCode, "productCode");
    if (publicKeyVersion < 1) {
      throw new IllegalArgumentException("publicKeyVersion must be 1 or more, was " + publicKeyVersion);
    }
    nonce = Objects.requireNonNullElse(nonce, Optional.empty());
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance is negative: " + tolerance);
    }
  }

  /**
   * Expects this product and key version, no nonce, and the default tolerance.
   *
   * <pre>{@code
   * ExpectedUsage expected = ExpectedUsage.of("4b7xmpe1k1fh8x9b4mb2jzq39", 1);
   * }</pre>
   */
  public static ExpectedUsage of(String productCode, int publicKeyVersion) {
    return new ExpectedUsage(productCode, publicKeyVersion, Optional.empty(), DEFAULT_TOLERANCE);
  }

  /**
   * The same expectation, with the nonce sent to RegisterUsage.
   *
   * <pre>{@code
   * ExpectedUsage expected = ExpectedUsage.of("prod-x", 1).withNonce(nonce);
   * }</pre>
   */
  public ExpectedUsage withNonce(String nonce) {
    return new ExpectedUsage(productCode, publicKeyVersion, Optional.of(Objects.requireNonNull(nonce, "nonce")), tolerance);
  }

  /**
   * The same expectation, with another tolerance for the issue time.
   *
   * <pre>{@code
   * ExpectedUsage expected = ExpectedUsage.of("prod-x", 1).withTolerance(Duration.ofMinutes(1));
   * }</pre>
   */
  public ExpectedUsage withTolerance(Duration tolerance) {
    return new ExpectedUsage(productCode, publicKeyVersion, nonce, tolerance);
  }

  /**
   * Verifies the token's signature with {@code key}, then checks its claims against this
   * expectation and the system clock.
   *
   * <pre>{@code
   * UsageClaims claims = ExpectedUsage.of("prod-x", 1).withNonce(nonce).verify(jwt, publicKeyV1);
   * }</pre>
   *
   * @throws InvalidUsageSignatureException as {@link UsageSignature#verify} does, or with reason
   *     {@code UNEXPECTED_CLAIMS} when a claim differs from the expectation
   */
  public UsageClaims verify(String jwt, PublicKey key) {
    return check(UsageSignature.verify(jwt, key), Instant.now());
  }

  /**
   * Checks verified claims against this expectation, as of {@code now}.
   *
   * <pre>{@code
   * expected.check(UsageSignature.verify(jwt, key), clock.instant());
   * }</pre>
   *
   * @return {@code claims}, for chaining
   * @throws InvalidUsageSignatureException with reason {@code UNEXPECTED_CLAIMS} naming the first
   *     claim that differs
   */
  public UsageClaims check(UsageClaims claims, Instant now) {
    if (!claims.productCode().equals(productCode)) {
      throw unexpected("The product code is \"" + claims.productCode() + "\", expected \"" + productCode + "\"");
    }
    if (claims.publicKeyVersion() != publicKeyVersion) {
      throw unexpected("The public key version is " + claims.publicKeyVersion() + ", expected " + publicKeyVersion);
    }
    if (!claims.nonce().equals(nonce)) {
      throw unexpected("The nonce is " + describe(claims.nonce()) + ", expected " + describe(nonce));
    }
    Duration age = Duration.between(claims.issuedAt(), now);
    if (age.abs().compareTo(tolerance) > 0) {
      throw unexpected("The signature was issued at " + claims.issuedAt() + ", more than " + tolerance
          + " from now (" + now + ")");
    }
    return claims;
  }

  private static String describe(Optional<String> nonce) {
    return nonce.map(n -> "\"" + n + "\"").orElse("absent");
  }

  private static InvalidUsageSignatureException unexpected(String message) {
    return new InvalidUsageSignatureException(UNEXPECTED_CLAIMS, message);
  }
}

package io.meterbridge.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What a RegisterUsage signature vouches for: the product, the public key version the caller
 * asked for, the caller's nonce, and when the signature was issued.
 *
 * <pre>{@code
 * UsageClaims claims = UsageClaims.builder()
 *     .productCode("4b7xmpe1k1fh8x9b4mb2jzq39")
 *     .publicKeyVersion(1)
 *     .nonce("a1b2c3")
 *     .issuedAt(Instant.now())
 *     .build();
 * }</pre>
 *
 * <p>{@code issuedAt} keeps whole seconds only, as the token's {@code iat} claim does, so that
 * claims read back from a token equal the claims it was signed from.
 *
 * @param productCode the product code
 * @param publicKeyVersion the version of the public key that verifies the signature, 1 or more
 * @param nonce the nonce the caller sent with RegisterUsage, if any
 * @param issuedAt when the signature was issued, in whole seconds
 */
public record UsageClaims(
    String productCode, int publicKeyVersion, Optional<String> nonce, Instant issuedAt) {

  /**
   * Validates the claims and truncates {@code issuedAt} to whole seconds.
   *
   * @throws IllegalArgumentException if the product code is empty or the version is below 1
   */
  public UsageClaims {
    Objects.requireNonNull(productCode, "productCode");
    if (productCode.isEmpty()) {
      throw new IllegalArgumentException("productCode is empty");
    }
    if (publicKeyVersion < 1) {
      throw new IllegalArgumentException("publicKeyVersion must be 1 or more, was " + publicKeyVersion);
    }
    nonce = Objects.requireNonNullElse(nonce, Optional.empty());
    issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * A builder with nothing set; product code, version and issue time are required.
   *
   * <pre>{@code
   * UsageClaims.builder().productCode("prod-x").publicKeyVersion(1).issuedAt(Instant.now()).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link UsageClaims}; not thread-safe.
   *
   * <pre>{@code
   * UsageClaims claims = UsageClaims.builder()
   *     .productCode("prod-x").publicKeyVersion(1).issuedAt(Instant.now()).build();
   * }</pre>
   */
  public static final class Builder {
    private String productCode;
    private int publicKeyVersion;
    private Optional<String> nonce = Optional.empty();
    private Instant issuedAt;

    private Builder() {}

    /**
     * The product code.
     *
     * <pre>{@code
     * builder.productCode("4b7xmpe1k1fh8x9b4mb2jzq39");
     * }</pre>
     */
    public Builder productCode(String productCode) {
      this.productCode = Objects.requireNonNull(productCode, "productCode");
      return this;
    }

    /**
     * The public key version, 1 or more.
     *
     * <pre>{@code
     * builder.publicKeyVersion(1);
     * }</pre>
     */
    public Builder publicKeyVersion(int publicKeyVersion) {
      this.publicKeyVersion = publicKeyVersion;
      return this;
    }

    /**
     * The caller's nonce; leave unset when the caller sent none.
     *
     * <pre>{@code
     * builder.nonce(UUID.randomUUID().toString());
     * }</pre>
     */
    public Builder nonce(String nonce) {
      this.nonce = Optional.of(Objects.requireNonNull(nonce, "nonce"));
      return this;
    }

    /**
     * When the signature is issued.
     *
     * <pre>{@code
     * builder.issuedAt(Instant.now());
     * }</pre>
     */
    public Builder issuedAt(Instant issuedAt) {
      this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
      return this;
    }

    /**
     * The claims.
     *
     * <pre>{@code
     * UsageClaims claims = builder.build();
     * }</pre>
     *
     * @throws NullPointerException if the product code or the issue time is unset
     * @throws IllegalArgumentException if the product code is empty or the version is below 1
     */
    public UsageClaims build() {
      return new UsageClaims(productCode, publicKeyVersion, nonce, issuedAt);
    }
  }
}

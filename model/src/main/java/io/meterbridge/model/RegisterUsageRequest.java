package io.meterbridge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Registers a paid container task or pod at launch: checks the buyer's entitlement and starts
 * hourly metering. The answer is a signed token the software can verify with the public key.
 *
 * <pre>{@code
 * RegisterUsageRequest request = RegisterUsageRequest.builder()
 *     .productCode("prod-container")
 *     .publicKeyVersion(1)
 *     .nonce(UUID.randomUUID().toString())
 *     .build();
 * }</pre>
 *
 * @param productCode the product code (required)
 * @param publicKeyVersion the version of the public key the software holds, at least 1
 * @param nonce a value the signature will carry, to guard against replay; up to 255 characters
 */
public record RegisterUsageRequest(String productCode, int publicKeyVersion, Optional<String> nonce) {
  /**
   * Checks the components against the model's constraints.
   *
   * @throws io.meterbridge.exception.InvalidRequestException if a model constraint is broken
   */
  public RegisterUsageRequest {
    Constraints check = new Constraints();
    if (productCode == null) {
      check.fail("productCode", "is required");
    } else {
      check.productCode("productCode", productCode);
    }
    check.range("publicKeyVersion", publicKeyVersion, 1, Integer.MAX_VALUE);
    nonce = Objects.requireNonNullElse(nonce, Optional.empty());
    check.optional("nonce", nonce, 0, 255);
    check.throwIfAny();
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder().productCode(productCode).publicKeyVersion(publicKeyVersion).nonce(nonce.orElse(null));
  }

  /** Builds {@link RegisterUsageRequest}s. Not thread-safe. */
  public static final class Builder {
    private String productCode;
    private int publicKeyVersion;
    private String nonce;

    private Builder() {}

    /** The product code (required). */
    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    /** The public key version (required, at least 1). */
    public Builder publicKeyVersion(int publicKeyVersion) {
      this.publicKeyVersion = publicKeyVersion;
      return this;
    }

    /** The nonce the signature will carry. */
    public Builder nonce(String nonce) {
      this.nonce = nonce;
      return this;
    }

    /** The request, checked against the model's constraints. */
    public RegisterUsageRequest build() {
      return new RegisterUsageRequest(productCode, publicKeyVersion, Optional.ofNullable(nonce));
    }
  }
}

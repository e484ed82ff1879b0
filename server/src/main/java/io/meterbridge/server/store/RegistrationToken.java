package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A SaaS registration token ({@code x-amzn-marketplace-token}) and what ResolveCustomer returns for it.
 * Resolving is a read, so it can be repeated until {@link #expiresAt()}.
 *
 * @param token the token, a bearer credential for registration: {@link #toString()} shows only its start
 * @param productCode the product it registers for
 * @param customerAccountId the buyer's AWS account id
 * @param customerIdentifier the legacy SaaS customer identifier, if any
 * @param licenseArn the buyer's license, if any
 * @param expiresAt when resolving it starts to fail
 */
public record RegistrationToken(
    String token,
    String productCode,
    String customerAccountId,
    Optional<String> customerIdentifier,
    Optional<String> licenseArn,
    Instant expiresAt) {

  public RegistrationToken {
    Require.text(token, "token");
    Require.text(productCode, "productCode");
    Require.text(customerAccountId, "customerAccountId");
    Require.present(customerIdentifier, "customerIdentifier");
    Require.present(licenseArn, "licenseArn");
    Require.present(expiresAt, "expiresAt");
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "RegistrationToken[token=" + token.substring(0, Math.min(6, token.length())) + "..., productCode="
        + productCode + ", customerAccountId=" + customerAccountId + ", customerIdentifier="
        + customerIdentifier.orElse(null) + ", licenseArn=" + licenseArn.orElse(null) + ", expiresAt=" + expiresAt + "]";
  }

  /** Builds a {@link RegistrationToken}. */
  public static final class Builder {
    private String token;
    private String productCode;
    private String customerAccountId;
    private Optional<String> customerIdentifier = Optional.empty();
    private Optional<String> licenseArn = Optional.empty();
    private Instant expiresAt;

    private Builder() {}

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    public Builder customerAccountId(String customerAccountId) {
      this.customerAccountId = customerAccountId;
      return this;
    }

    public Builder customerIdentifier(String customerIdentifier) {
      this.customerIdentifier = Optional.of(Require.text(customerIdentifier, "customerIdentifier"));
      return this;
    }

    public Builder licenseArn(String licenseArn) {
      this.licenseArn = Optional.of(Require.text(licenseArn, "licenseArn"));
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public RegistrationToken build() {
      return new RegistrationToken(token, productCode, customerAccountId, customerIdentifier, licenseArn, expiresAt);
    }
  }
}

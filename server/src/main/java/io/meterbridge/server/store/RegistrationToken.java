package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A SaaS registration token ({@code x-amzn-marketplace-token}) and what ResolveCustomer returns for it.
 * Resolving is a read, so it can be repeated until {@link #expiresAt()}.
 */
public final class RegistrationToken {
  private final String token;
  private final String productCode;
  private final String customerAccountId;
  private final String customerIdentifier;
  private final String licenseArn;
  private final Instant expiresAt;

  private RegistrationToken(Builder b) {
    this.token = Require.text(b.token, "token");
    this.productCode = Require.text(b.productCode, "productCode");
    this.customerAccountId = Require.text(b.customerAccountId, "customerAccountId");
    this.customerIdentifier = b.customerIdentifier;
    this.licenseArn = b.licenseArn;
    this.expiresAt = Require.present(b.expiresAt, "expiresAt");
  }

  public static Builder builder() {
    return new Builder();
  }

  public String token() {
    return token;
  }

  public String productCode() {
    return productCode;
  }

  public String customerAccountId() {
    return customerAccountId;
  }

  public Optional<String> customerIdentifier() {
    return Optional.ofNullable(customerIdentifier);
  }

  public Optional<String> licenseArn() {
    return Optional.ofNullable(licenseArn);
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistrationToken t
        && token.equals(t.token)
        && productCode.equals(t.productCode)
        && customerAccountId.equals(t.customerAccountId)
        && Objects.equals(customerIdentifier, t.customerIdentifier)
        && Objects.equals(licenseArn, t.licenseArn)
        && expiresAt.equals(t.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, productCode, customerAccountId, customerIdentifier, licenseArn, expiresAt);
  }

  @Override
  public String toString() {
    // The token is a bearer credential for registration: show only its start.
    return "RegistrationToken[token=" + token.substring(0, Math.min(6, token.length())) + "..., productCode="
        + productCode + ", customerAccountId=" + customerAccountId + ", customerIdentifier="
        + customerIdentifier + ", licenseArn=" + licenseArn + ", expiresAt=" + expiresAt + "]";
  }

  /** Builds a {@link RegistrationToken}. */
  public static final class Builder {
    private String token;
    private String productCode;
    private String customerAccountId;
    private String customerIdentifier;
    private String licenseArn;
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
      this.customerIdentifier = Require.text(customerIdentifier, "customerIdentifier");
      return this;
    }

    public Builder licenseArn(String licenseArn) {
      this.licenseArn = Require.text(licenseArn, "licenseArn");
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    public RegistrationToken build() {
      return new RegistrationToken(this);
    }
  }
}

package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A buyer's subscription to a product. Keyed by (product, customer account id); the customer
 * identifier (legacy SaaS) and the license ARN are optional but unique when present.
 *
 * <pre>{@code
 * Subscription s = Subscription.builder()
 *     .productCode("prod-1").customerAccountId("111122223333").customerIdentifier("cust-1")
 *     .licenseArn("arn:aws:license-manager::...").active(true).since(now).build();
 * }</pre>
 */
public final class Subscription {
  private final String productCode;
  private final String customerAccountId;
  private final String customerIdentifier;
  private final String licenseArn;
  private final boolean active;
  private final Instant since;

  private Subscription(Builder b) {
    this.productCode = Require.text(b.productCode, "productCode");
    this.customerAccountId = Require.text(b.customerAccountId, "customerAccountId");
    this.customerIdentifier = b.customerIdentifier;
    this.licenseArn = b.licenseArn;
    this.active = b.active;
    this.since = Require.present(b.since, "since");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.productCode = productCode;
    b.customerAccountId = customerAccountId;
    b.customerIdentifier = customerIdentifier;
    b.licenseArn = licenseArn;
    b.active = active;
    b.since = since;
    return b;
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

  public boolean active() {
    return active;
  }

  public Instant since() {
    return since;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription s
        && productCode.equals(s.productCode)
        && customerAccountId.equals(s.customerAccountId)
        && Objects.equals(customerIdentifier, s.customerIdentifier)
        && Objects.equals(licenseArn, s.licenseArn)
        && active == s.active
        && since.equals(s.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(productCode, customerAccountId, customerIdentifier, licenseArn, active, since);
  }

  @Override
  public String toString() {
    return "Subscription[productCode=" + productCode + ", customerAccountId=" + customerAccountId
        + ", customerIdentifier=" + customerIdentifier + ", licenseArn=" + licenseArn
        + ", active=" + active + ", since=" + since + "]";
  }

  /** Builds a {@link Subscription}; {@code active} defaults to true. */
  public static final class Builder {
    private String productCode;
    private String customerAccountId;
    private String customerIdentifier;
    private String licenseArn;
    private boolean active = true;
    private Instant since;

    private Builder() {}

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

    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    public Builder since(Instant since) {
      this.since = since;
      return this;
    }

    public Subscription build() {
      return new Subscription(this);
    }
  }
}

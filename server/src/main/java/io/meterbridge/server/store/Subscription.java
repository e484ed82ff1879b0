package io.meterbridge.server.store;

import java.time.Instant;
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
 *
 * @param productCode the product
 * @param customerAccountId the buyer's AWS account id
 * @param customerIdentifier the legacy SaaS customer identifier, unique per product
 * @param licenseArn the buyer's license, unique
 * @param active whether the buyer is subscribed now
 * @param since when the subscription began; license usage before it is refused
 */
public record Subscription(
    String productCode,
    String customerAccountId,
    Optional<String> customerIdentifier,
    Optional<String> licenseArn,
    boolean active,
    Instant since) {

  public Subscription {
    Require.text(productCode, "productCode");
    Require.text(customerAccountId, "customerAccountId");
    Require.present(customerIdentifier, "customerIdentifier");
    Require.present(licenseArn, "licenseArn");
    Require.present(since, "since");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder().productCode(productCode).customerAccountId(customerAccountId).active(active).since(since);
    b.customerIdentifier = customerIdentifier;
    b.licenseArn = licenseArn;
    return b;
  }

  /** Builds a {@link Subscription}; {@code active} defaults to true. */
  public static final class Builder {
    private String productCode;
    private String customerAccountId;
    private Optional<String> customerIdentifier = Optional.empty();
    private Optional<String> licenseArn = Optional.empty();
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
      this.customerIdentifier = Optional.of(Require.text(customerIdentifier, "customerIdentifier"));
      return this;
    }

    public Builder licenseArn(String licenseArn) {
      this.licenseArn = Optional.of(Require.text(licenseArn, "licenseArn"));
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
      return new Subscription(productCode, customerAccountId, customerIdentifier, licenseArn, active, since);
    }
  }
}

package io.meterbridge.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of a seller's usage, as the application reports it: what was used, by whom, how much and
 * when. The gateway sums events into one record per product, customer, license, dimension and hour
 * before anything goes to AWS.
 *
 * <p>Building an event checks only that the required members are there; whether the gateway accepts
 * it (known product and dimension, a customer, a timestamp inside the window, allocations that add
 * up) is answered per event by {@link Gateway#ingest}, never by an exception.
 *
 * <pre>{@code
 * UsageEvent event = UsageEvent.builder()
 *     .id("req-7f3a")                       // your idempotency key, unique per product
 *     .productCode("prod-saas")
 *     .customerAwsAccountId("111122223333")
 *     .dimension("api_calls")
 *     .quantity(3)
 *     .timestamp(Instant.now())
 *     .build();
 * }</pre>
 *
 * @param id the seller's idempotency key, 1 to 128 characters, unique per product
 * @param productCode the product
 * @param customerAwsAccountId the customer's AWS account id; exactly one of this and {@code customerIdentifier}
 * @param customerIdentifier the customer's identifier from ResolveCustomer (older integrations)
 * @param licenseArn the customer's license: the record then goes upstream by LicenseArn instead of ProductCode
 * @param dimension one of the product's dimensions
 * @param quantity how much, at least 0 (64-bit: the gateway splits sums above AWS's 32-bit maximum)
 * @param timestamp when the usage happened
 * @param allocations how the quantity divides among tag sets; empty for none
 */
public record UsageEvent(
    String id,
    String productCode,
    Optional<String> customerAwsAccountId,
    Optional<String> customerIdentifier,
    Optional<String> licenseArn,
    String dimension,
    long quantity,
    Instant timestamp,
    List<Allocation> allocations) {

  public UsageEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(productCode, "productCode");
    customerAwsAccountId = Objects.requireNonNullElse(customerAwsAccountId, Optional.empty());
    customerIdentifier = Objects.requireNonNullElse(customerIdentifier, Optional.empty());
    licenseArn = Objects.requireNonNullElse(licenseArn, Optional.empty());
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(timestamp, "timestamp");
    allocations = allocations == null ? List.of() : List.copyOf(allocations);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UsageEvent}. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String productCode;
    private String customerAwsAccountId;
    private String customerIdentifier;
    private String licenseArn;
    private String dimension;
    private long quantity;
    private Instant timestamp;
    private List<Allocation> allocations = List.of();

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    public Builder customerAwsAccountId(String customerAwsAccountId) {
      this.customerAwsAccountId = customerAwsAccountId;
      return this;
    }

    public Builder customerIdentifier(String customerIdentifier) {
      this.customerIdentifier = customerIdentifier;
      return this;
    }

    public Builder licenseArn(String licenseArn) {
      this.licenseArn = licenseArn;
      return this;
    }

    public Builder dimension(String dimension) {
      this.dimension = dimension;
      return this;
    }

    public Builder quantity(long quantity) {
      this.quantity = quantity;
      return this;
    }

    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    public Builder allocations(List<Allocation> allocations) {
      this.allocations = allocations;
      return this;
    }

    public Builder allocations(Allocation... allocations) {
      return allocations(List.of(allocations));
    }

    /**
     * The event.
     *
     * @throws NullPointerException if id, productCode, dimension or timestamp is missing
     */
    public UsageEvent build() {
      return new UsageEvent(id, productCode, Optional.ofNullable(customerAwsAccountId),
          Optional.ofNullable(customerIdentifier), Optional.ofNullable(licenseArn), dimension, quantity, timestamp,
          allocations);
    }
  }
}

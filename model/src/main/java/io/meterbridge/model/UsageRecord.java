package io.meterbridge.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One hour of one customer's usage of one dimension, as sent in BatchMeterUsage.
 *
 * <p>Identify the customer by {@code customerAwsAccountId} (with {@code licenseArn}; required
 * for SaaS products published since June 2026) or by the legacy {@code customerIdentifier}; the
 * two exclude each other. The service keeps one record per product, customer, dimension and hour:
 * an identical record is an idempotent replay, a different quantity is a {@code DuplicateRecord}.
 *
 * <pre>{@code
 * UsageRecord record = UsageRecord.builder()
 *     .timestamp(Instant.now())
 *     .customerAwsAccountId("111122223333")
 *     .licenseArn("arn:aws:license-manager::123456789012:license:l-0123456789abcdef0")
 *     .dimension("api_calls")
 *     .quantity(1500)
 *     .build();
 * }</pre>
 *
 * @param timestamp when the usage happened; the service ignores minutes and seconds for dedup
 * @param customerIdentifier the legacy customer id from ResolveCustomer
 * @param dimension the product dimension, as registered for the product
 * @param quantity the usage, 0 to 2147483647 (0 when not given)
 * @param usageAllocations how the quantity splits over buyer tags; empty when not allocated
 * @param customerAwsAccountId the buyer's AWS account id
 * @param licenseArn the buyer's license, from ResolveCustomer
 */
public record UsageRecord(
    Instant timestamp,
    Optional<String> customerIdentifier,
    String dimension,
    int quantity,
    List<UsageAllocation> usageAllocations,
    Optional<String> customerAwsAccountId,
    Optional<String> licenseArn) {

  /**
   * Checks the components against the model's constraints.
   *
   * @throws io.meterbridge.exception.InvalidRequestException if a constraint is broken
   */
  public UsageRecord {
    if (timestamp == null || dimension == null) {
      List<String> missing = new ArrayList<>(2);
      if (timestamp == null) {
        missing.add("timestamp: is required");
      }
      if (dimension == null) {
        missing.add("dimension: is required");
      }
      Shapes.requirePresent(missing);
    }
    // The model gives CustomerIdentifier a default of "": absent and empty mean the same.
    customerIdentifier = Shapes.nonEmpty(customerIdentifier);
    customerAwsAccountId = Objects.requireNonNullElse(customerAwsAccountId, Optional.empty());
    licenseArn = Objects.requireNonNullElse(licenseArn, Optional.empty());
    usageAllocations = usageAllocations == null ? List.of() : List.copyOf(usageAllocations);
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link UsageRecord}s. Not thread-safe. */
  public static final class Builder {
    private Instant timestamp;
    private String customerIdentifier;
    private String dimension;
    private int quantity;
    private List<UsageAllocation> usageAllocations = List.of();
    private String customerAwsAccountId;
    private String licenseArn;

    private Builder() {}

    private Builder(UsageRecord record) {
      timestamp = record.timestamp;
      customerIdentifier = record.customerIdentifier.orElse(null);
      dimension = record.dimension;
      quantity = record.quantity;
      usageAllocations = record.usageAllocations;
      customerAwsAccountId = record.customerAwsAccountId.orElse(null);
      licenseArn = record.licenseArn.orElse(null);
    }

    /** When the usage happened (required). */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** The legacy customer identifier; excludes {@link #customerAwsAccountId}. */
    public Builder customerIdentifier(String customerIdentifier) {
      this.customerIdentifier = customerIdentifier;
      return this;
    }

    /** The dimension (required). */
    public Builder dimension(String dimension) {
      this.dimension = dimension;
      return this;
    }

    /** The quantity; 0 when not set. */
    public Builder quantity(int quantity) {
      this.quantity = quantity;
      return this;
    }

    /** How the quantity splits over tags. */
    public Builder usageAllocations(List<UsageAllocation> usageAllocations) {
      this.usageAllocations = usageAllocations;
      return this;
    }

    /** How the quantity splits over tags. */
    public Builder usageAllocations(UsageAllocation... usageAllocations) {
      return usageAllocations(List.of(usageAllocations));
    }

    /** The buyer's AWS account id; excludes {@link #customerIdentifier}. */
    public Builder customerAwsAccountId(String customerAwsAccountId) {
      this.customerAwsAccountId = customerAwsAccountId;
      return this;
    }

    /** The buyer's license ARN. */
    public Builder licenseArn(String licenseArn) {
      this.licenseArn = licenseArn;
      return this;
    }

    /**
     * The record.
     *
     * @throws io.meterbridge.exception.InvalidRequestException if the timestamp or dimension is
     *     missing (the other constraints are checked by the request that carries the record)
     */
    public UsageRecord build() {
      return new UsageRecord(timestamp, Optional.ofNullable(customerIdentifier), dimension, quantity,
          usageAllocations, Optional.ofNullable(customerAwsAccountId), Optional.ofNullable(licenseArn));
    }
  }
}

package io.meterbridge.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One hour of one dimension, metered from the buyer's EC2 instance, ECS task or EKS pod (AMI and
 * container products). The service keeps one record per caller, dimension and hour.
 *
 * <p>{@code clientToken} makes retries safe: the same token with the same parameters replays the
 * first result; with other parameters it fails with {@code IdempotencyConflictException}. The
 * Meterbridge client fills in a random token when none is given and keeps it across retries.
 *
 * <pre>{@code
 * MeterUsageRequest request = MeterUsageRequest.builder()
 *     .productCode("prod-ami")
 *     .timestamp(Instant.now())
 *     .usageDimension("vcpu_hours")
 *     .usageQuantity(4)
 *     .build();
 * }</pre>
 *
 * @param productCode the product code (required)
 * @param timestamp when the usage happened, up to six hours in the past (required)
 * @param usageDimension the dimension (required)
 * @param usageQuantity the quantity, 0 to 2147483647 (0 when not given)
 * @param dryRun only check permissions; nothing is stored
 * @param usageAllocations how the quantity splits over buyer tags; empty when not allocated
 * @param clientToken the idempotency token, 1 to 64 characters
 */
public record MeterUsageRequest(
    String productCode,
    Instant timestamp,
    String usageDimension,
    int usageQuantity,
    boolean dryRun,
    List<UsageAllocation> usageAllocations,
    Optional<String> clientToken) {

  /**
   * Checks the components against the model's constraints.
   *
   * @throws io.meterbridge.exception.InvalidRequestException if a model constraint is broken
   */
  public MeterUsageRequest {
    Constraints check = new Constraints();
    if (productCode == null) {
      check.fail("productCode", "is required");
    } else {
      check.productCode("productCode", productCode);
    }
    if (timestamp == null) {
      check.fail("timestamp", "is required");
    }
    if (usageDimension == null) {
      check.fail("usageDimension", "is required");
    } else {
      check.dimension("usageDimension", usageDimension);
    }
    check.range("usageQuantity", usageQuantity, 0, Constraints.MAX_QUANTITY);
    usageAllocations = usageAllocations == null ? List.of() : List.copyOf(usageAllocations);
    check.allocations("usageAllocations", usageAllocations);
    clientToken = Objects.requireNonNullElse(clientToken, Optional.empty());
    check.optional("clientToken", clientToken, 1, 64);
    check.throwIfAny();
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder()
        .productCode(productCode)
        .timestamp(timestamp)
        .usageDimension(usageDimension)
        .usageQuantity(usageQuantity)
        .dryRun(dryRun)
        .usageAllocations(usageAllocations)
        .clientToken(clientToken.orElse(null));
  }

  /** Builds {@link MeterUsageRequest}s. Not thread-safe. */
  public static final class Builder {
    private String productCode;
    private Instant timestamp;
    private String usageDimension;
    private int usageQuantity;
    private boolean dryRun;
    private List<UsageAllocation> usageAllocations = List.of();
    private String clientToken;

    private Builder() {}

    /** The product code (required). */
    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    /** When the usage happened (required). */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** The dimension (required). */
    public Builder usageDimension(String usageDimension) {
      this.usageDimension = usageDimension;
      return this;
    }

    /** The quantity; 0 when not set. */
    public Builder usageQuantity(int usageQuantity) {
      this.usageQuantity = usageQuantity;
      return this;
    }

    /** Only check permissions; nothing is stored. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
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

    /** The idempotency token; the client generates one when it is not set. */
    public Builder clientToken(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    /** The request, checked against the model's constraints. */
    public MeterUsageRequest build() {
      return new MeterUsageRequest(productCode, timestamp, usageDimension, usageQuantity, dryRun,
          usageAllocations, Optional.ofNullable(clientToken));
    }
  }
}

package io.meterbridge.model;

import java.util.List;
import java.util.Optional;

/**
 * Up to 25 usage records of one SaaS product, metered with the seller's credentials.
 *
 * <p>Name the product by {@code productCode}, or leave it out and give each record a
 * {@code licenseArn} (required for products published since June 2026). The service rejects the
 * whole batch with {@code TimestampOutOfBoundsException} when any record is outside its window.
 *
 * <pre>{@code
 * BatchMeterUsageRequest request = BatchMeterUsageRequest.builder()
 *     .productCode("prod-saas")
 *     .usageRecords(record1, record2)
 *     .build();
 * }</pre>
 *
 * @param usageRecords 0 to 25 records
 * @param productCode the product code; absent when the records carry license ARNs
 */
public record BatchMeterUsageRequest(List<UsageRecord> usageRecords, Optional<String> productCode) {
  /**
   * Checks the components against the model's constraints.
   *
   * @throws io.meterbridge.exception.InvalidRequestException if a model constraint is broken
   */
  public BatchMeterUsageRequest {
    usageRecords = usageRecords == null ? List.of() : List.copyOf(usageRecords);
    productCode = Shapes.nonEmpty(productCode); // the model's default is ""
    Constraints check = new Constraints();
    check.size("usageRecords", usageRecords, 0, Constraints.MAX_RECORDS);
    if (productCode.isPresent()) {
      check.productCode("productCode", productCode.get());
    }
    for (int i = 0; i < usageRecords.size(); i++) {
      check.usageRecord(i, usageRecords.get(i));
    }
    check.throwIfAny();
  }

  /** A request for {@code productCode} with these records. */
  public static BatchMeterUsageRequest of(String productCode, List<UsageRecord> usageRecords) {
    return new BatchMeterUsageRequest(usageRecords, Optional.of(productCode));
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder().usageRecords(usageRecords).productCode(productCode.orElse(null));
  }

  /** Builds {@link BatchMeterUsageRequest}s. Not thread-safe. */
  public static final class Builder {
    private List<UsageRecord> usageRecords = List.of();
    private String productCode;

    private Builder() {}

    /** The records, 0 to 25. */
    public Builder usageRecords(List<UsageRecord> usageRecords) {
      this.usageRecords = usageRecords;
      return this;
    }

    /** The records, 0 to 25. */
    public Builder usageRecords(UsageRecord... usageRecords) {
      return usageRecords(List.of(usageRecords));
    }

    /** The product code; may be left out when every record has a license ARN. */
    public Builder productCode(String productCode) {
      this.productCode = productCode;
      return this;
    }

    /** The request, checked against the model's constraints. */
    public BatchMeterUsageRequest build() {
      return new BatchMeterUsageRequest(usageRecords, Optional.ofNullable(productCode));
    }
  }
}

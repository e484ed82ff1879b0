package io.meterbridge.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of the ledger: the sum of a customer's usage of one dimension in one hour, as it goes (or
 * went) to AWS, with what became of it.
 *
 * @param id the gateway's id of the record
 * @param productCode the product
 * @param customerAwsAccountId the customer, when metered by account id
 * @param customerIdentifier the customer, when metered by customer identifier
 * @param licenseArn the license, when sent by LicenseArn instead of ProductCode
 * @param dimension the dimension
 * @param hour the usage hour (the record's timestamp upstream)
 * @param quantity the summed quantity (what is sent)
 * @param events how many events went into it (carried ones included)
 * @param carriedIn quantity carried in from earlier hours of the same key (late usage, overflow)
 * @param carriedOut quantity above AWS's per-record maximum, carried into a later hour
 * @param allocations the quantity by tag set, when any event had tags
 * @param state where it is
 * @param deadline the last moment AWS accepts it
 * @param meteringRecordId AWS's id, once {@code sent}
 * @param attempts how many BatchMeterUsage calls carried it
 * @param lastError the latest failure, if any
 * @param sentAt when AWS accepted it
 */
public record LedgerRecord(
    long id,
    String productCode,
    Optional<String> customerAwsAccountId,
    Optional<String> customerIdentifier,
    Optional<String> licenseArn,
    String dimension,
    Instant hour,
    long quantity,
    long events,
    long carriedIn,
    long carriedOut,
    List<Allocation> allocations,
    RecordState state,
    Instant deadline,
    Optional<String> meteringRecordId,
    int attempts,
    Optional<String> lastError,
    Optional<Instant> sentAt) {

  public LedgerRecord {
    Objects.requireNonNull(productCode, "productCode");
    customerAwsAccountId = Objects.requireNonNullElse(customerAwsAccountId, Optional.empty());
    customerIdentifier = Objects.requireNonNullElse(customerIdentifier, Optional.empty());
    licenseArn = Objects.requireNonNullElse(licenseArn, Optional.empty());
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(hour, "hour");
    allocations = List.copyOf(allocations);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(deadline, "deadline");
    meteringRecordId = Objects.requireNonNullElse(meteringRecordId, Optional.empty());
    lastError = Objects.requireNonNullElse(lastError, Optional.empty());
    sentAt = Objects.requireNonNullElse(sentAt, Optional.empty());
  }

  /** The customer, whichever way it is identified. */
  public String customer() {
    return customerAwsAccountId.or(() -> customerIdentifier).orElseThrow();
  }
}

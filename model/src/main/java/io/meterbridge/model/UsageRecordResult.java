package io.meterbridge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What BatchMeterUsage did with one record: the record as submitted, its metering record id and
 * the status.
 *
 * <pre>{@code
 * for (UsageRecordResult r : response.results()) {
 *   System.out.println(r.status().orElseThrow() + " " + r.meteringRecordId().orElse("-"));
 * }
 * }</pre>
 *
 * @param usageRecord the record as it was submitted
 * @param meteringRecordId the id the service gave the record (the original one for a replay)
 * @param status what happened to it
 */
public record UsageRecordResult(
    Optional<UsageRecord> usageRecord,
    Optional<String> meteringRecordId,
    Optional<UsageRecordResultStatus> status) {

  /** Checks the components. */
  public UsageRecordResult {
    usageRecord = Objects.requireNonNullElse(usageRecord, Optional.empty());
    meteringRecordId = Objects.requireNonNullElse(meteringRecordId, Optional.empty());
    status = Objects.requireNonNullElse(status, Optional.empty());
  }

  /** A result with all three members. */
  public static UsageRecordResult of(
      UsageRecord usageRecord, String meteringRecordId, UsageRecordResultStatus status) {
    return new UsageRecordResult(
        Optional.of(usageRecord), Optional.ofNullable(meteringRecordId), Optional.of(status));
  }
}

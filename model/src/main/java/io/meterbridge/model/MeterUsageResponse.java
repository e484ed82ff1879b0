package io.meterbridge.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The metering record MeterUsage stored (or had stored, for an identical replay).
 *
 * <pre>{@code
 * String id = client.meterUsage(request).meteringRecordId().orElseThrow();
 * }</pre>
 *
 * @param meteringRecordId the record's id
 */
public record MeterUsageResponse(Optional<String> meteringRecordId) {
  /** Checks the components. */
  public MeterUsageResponse {
    meteringRecordId = Objects.requireNonNullElse(meteringRecordId, Optional.empty());
  }

  /** A response carrying this id. */
  public static MeterUsageResponse of(String meteringRecordId) {
    return new MeterUsageResponse(Optional.of(meteringRecordId));
  }
}

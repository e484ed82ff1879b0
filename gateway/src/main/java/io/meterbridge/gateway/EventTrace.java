package io.meterbridge.gateway;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an accepted event went: the record it was summed into and what became of that record.
 *
 * @param id the event's id
 * @param productCode its product
 * @param timestamp when the usage happened
 * @param quantity its quantity
 * @param receivedAt when the gateway accepted it (gateway time)
 * @param usageHour the hour of {@code timestamp}
 * @param record the record it was summed into: the record of {@code usageHour}, or of a later hour when
 *     that one was already closed (late usage is carried forward, never lost)
 */
public record EventTrace(
    String id, String productCode, Instant timestamp, long quantity, Instant receivedAt, Instant usageHour,
    LedgerRecord record) {

  public EventTrace {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(productCode, "productCode");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(usageHour, "usageHour");
    Objects.requireNonNull(record, "record");
  }

  /** Whether the event was carried into a later hour than its own. */
  public boolean carried() {
    return !record.hour().equals(usageHour);
  }
}

package io.meterbridge.gateway.internal;

import io.meterbridge.gateway.Allocation;
import io.meterbridge.gateway.UsageEvent;
import java.time.Instant;
import java.util.List;

/**
 * An event as it arrived, before validation: any member may be missing (null). {@code problem} is
 * the first thing the JSON reader could not take (a wrong type, an unknown member), naming the field.
 */
record EventInput(
    String id,
    String productCode,
    String customerAwsAccountId,
    String customerIdentifier,
    String licenseArn,
    String dimension,
    Long quantity,
    Instant timestamp,
    List<Allocation> allocations,
    String problem) {

  static EventInput of(UsageEvent e) {
    return new EventInput(e.id(), e.productCode(), e.customerAwsAccountId().orElse(null),
        e.customerIdentifier().orElse(null), e.licenseArn().orElse(null), e.dimension(), e.quantity(), e.timestamp(),
        e.allocations(), null);
  }

  /** The id for the answer: as given, or empty. */
  String idOrEmpty() {
    return id == null ? "" : id;
  }
}

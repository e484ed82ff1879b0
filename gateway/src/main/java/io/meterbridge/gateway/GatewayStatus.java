package io.meterbridge.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway at a glance, over every process sharing its database.
 *
 * @param time the gateway's clock (time travel included)
 * @param counts records by state (every state present, zero included)
 * @param oldestOpenDeadline the earliest deadline of a record not yet sent (open, closed or sending)
 * @param alerts unsent records within {@code alert-before} of their deadline
 * @param quotaPerSecond the account's BatchMeterUsage quota the gateway paces to
 * @param quotaInUse BatchMeterUsage calls a second over the last complete 10-second window, all processes
 */
public record GatewayStatus(
    Instant time,
    Map<RecordState, Long> counts,
    Optional<Instant> oldestOpenDeadline,
    long alerts,
    double quotaPerSecond,
    double quotaInUse) {

  public GatewayStatus {
    Objects.requireNonNull(time, "time");
    counts = Map.copyOf(counts);
    oldestOpenDeadline = Objects.requireNonNullElse(oldestOpenDeadline, Optional.empty());
  }

  /** The count of one state. */
  public long count(RecordState state) {
    return counts.getOrDefault(state, 0L);
  }
}

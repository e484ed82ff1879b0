package io.meterbridge.gateway;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a record is on its way upstream. {@code open} → {@code closed} (its hour ended, plus the
 * close delay) → {@code sending} (one process holds it under a lease) → one of the final states.
 * A failed call puts it back to {@code closed} for another attempt; a record still unsent at its
 * deadline ends {@code expired}.
 */
public enum RecordState {
  /** Still summing events of its hour. */
  OPEN("open"),
  /** Final quantity, waiting to be sent (again, after a failed attempt: see the last error). */
  CLOSED("closed"),
  /** In a BatchMeterUsage call by one process. */
  SENDING("sending"),
  /** AWS answered {@code Success}; the record carries the MeteringRecordId. */
  SENT("sent"),
  /** AWS answered {@code CustomerNotSubscribed}. */
  NOT_SUBSCRIBED("not-subscribed"),
  /** AWS answered {@code DuplicateRecord}: it holds another quantity for this hour. Never resent. */
  CONFLICT("conflict"),
  /** Its deadline passed before AWS accepted it. */
  EXPIRED("expired");

  private final String wireName;

  RecordState(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire and in the database: {@code open}, {@code not-subscribed}, ... */
  public String wireName() {
    return wireName;
  }

  /** Whether the record will not change any more. */
  public boolean isFinal() {
    return this == SENT || this == NOT_SUBSCRIBED || this == CONFLICT || this == EXPIRED;
  }

  /** The state of a wire name. */
  public static Optional<RecordState> fromWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }
}

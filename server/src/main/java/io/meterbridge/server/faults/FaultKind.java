package io.meterbridge.server.faults;

import java.util.Arrays;
import java.util.Optional;

/** What a fault does to a call. */
public enum FaultKind {
  /** Answers {@code ThrottlingException}; nothing is stored. */
  THROTTLE("throttle"),
  /** Answers 500 {@code InternalServiceErrorException}; nothing is stored. */
  INTERNAL_ERROR("internal-error"),
  /**
   * BatchMeterUsage only: some of the batch's records (at least one) come back in {@code
   * UnprocessedRecords} without being stored; the rest are processed as usual.
   */
  UNPROCESSED("unprocessed"),
  /** Processes the call after {@code delayMs}. */
  DELAY("delay"),
  /** Closes the connection without an answer, before anything is stored. */
  DROP_BEFORE_COMMIT("drop-before-commit"),
  /** Processes the call (its records are stored), then closes the connection without an answer. */
  DROP_AFTER_COMMIT("drop-after-commit"),
  /** Answers {@code DisabledApiException}; nothing is stored. */
  DISABLED_API("disabled-api");

  private final String wireName;

  FaultKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name in rules: {@code throttle}, {@code drop-after-commit}, ... */
  public String wireName() {
    return wireName;
  }

  public static Optional<FaultKind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
  }
}

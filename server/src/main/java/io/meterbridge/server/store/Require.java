package io.meterbridge.server.store;

import java.time.Instant;
import java.util.Objects;

/** Argument checks shared by the value types, so every message names the offending field. */
final class Require {
  private Require() {}

  static String text(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  static <T> T present(T value, String name) {
    return Objects.requireNonNull(value, name);
  }

  static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
    }
    return value;
  }

  /** The hour of {@code at}, in epoch seconds: the hour a dedup key holds. */
  static long epochHour(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 3600) * 3600;
  }

  /** Checks that a key's {@code hour} is the hour of the row's {@code timestamp}. */
  static void hourOf(long hour, Instant timestamp) {
    if (hour != epochHour(timestamp)) {
      throw new IllegalArgumentException("key hour " + Instant.ofEpochSecond(hour) + " is not the hour of timestamp "
          + timestamp);
    }
  }
}

package io.meterbridge.model;

import io.meterbridge.exception.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/** Small normalisations the shapes share. */
final class Shapes {
  private Shapes() {}

  static void requirePresent(List<String> missing) {
    if (!missing.isEmpty()) {
      throw new InvalidRequestException(missing);
    }
  }

  /** Empty strings count as absent, as the model's {@code @default("")} members require. */
  static Optional<String> nonEmpty(Optional<String> value) {
    return value == null ? Optional.empty() : value.filter(s -> !s.isEmpty());
  }

  static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }
}

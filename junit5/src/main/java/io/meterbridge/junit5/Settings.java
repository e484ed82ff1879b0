package io.meterbridge.junit5;

import io.meterbridge.server.MeterbridgeServerConfig;
import java.util.Optional;
import java.util.function.Consumer;

/** What a test class asked for: where the catalog comes from, the database, resets, the client's key. */
record Settings(
    Optional<String> seed,
    Optional<TestCatalog> catalog,
    Optional<String> database,
    Reset reset,
    Optional<String> accessKeyId,
    Consumer<MeterbridgeServerConfig.Builder> server) {

  static Settings of(MeterbridgeTest annotation) {
    return new Settings(nonEmpty(annotation.seed()), Optional.empty(), nonEmpty(annotation.database()),
        annotation.reset(), nonEmpty(annotation.accessKeyId()), b -> {});
  }

  static Settings defaults() {
    return new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Reset.PER_CLASS, Optional.empty(),
        b -> {});
  }

  private static Optional<String> nonEmpty(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}

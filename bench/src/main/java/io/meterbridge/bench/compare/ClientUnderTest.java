package io.meterbridge.bench.compare;

import java.net.URI;

/**
 * One metering client as the comparison drives it. Each call builds its request from
 * {@link io.meterbridge.bench.Workload}'s data, as application code would, sends it and reads the
 * answer; the cost of building and validating the request is part of the call.
 *
 * <p>Implementations are loaded by name so that a client's JVM never links the other client's
 * classes: each runs on its own runtime closure.
 */
public interface ClientUnderTest extends AutoCloseable {
  /** A MeterUsage call; returns the metering record id so the caller can check it. */
  String meterUsage();

  /** A 25-record BatchMeterUsage call; returns the number of results. */
  int batchMeterUsage();

  @Override
  void close();

  /** {@code sdk} (the AWS SDK for Java v2) or {@code meterbridge} (ours). */
  static ClientUnderTest create(String name, URI endpoint) {
    String className = switch (name) {
      case "sdk" -> "io.meterbridge.bench.compare.AwsSdkClient";
      case "meterbridge" -> "io.meterbridge.bench.compare.MeterbridgeClient";
      default -> throw new IllegalArgumentException("unknown client: " + name + " (sdk, meterbridge)");
    };
    try {
      return (ClientUnderTest) Class.forName(className)
          .getConstructor(URI.class)
          .newInstance(endpoint);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create client " + name, e);
    }
  }
}

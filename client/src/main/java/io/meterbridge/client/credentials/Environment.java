package io.meterbridge.client.credentials;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Everything the providers read from the outside world, gathered in one value so tests can run
 * without touching the real process environment.
 *
 * <p>{@link #system()} reads variables and system properties live, on every lookup, as the AWS
 * SDKs do: a property set after the provider was built is still seen.
 */
final class Environment {

  /** Where ECS and EKS serve {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}. */
  static final URI ECS_CONTAINER_HOST = URI.create("http://169.254.170.2");

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  private final UnaryOperator<String> variables;
  private final UnaryOperator<String> properties;
  private final Path home;
  private final Clock clock;
  private final URI containerHost;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  private Environment(
      UnaryOperator<String> variables,
      UnaryOperator<String> properties,
      Path home,
      Clock clock,
      URI containerHost,
      Duration connectTimeout,
      Duration readTimeout) {
    this.variables = Objects.requireNonNull(variables, "variables");
    this.properties = Objects.requireNonNull(properties, "properties");
    this.home = Objects.requireNonNull(home, "home");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.containerHost = Objects.requireNonNull(containerHost, "containerHost");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
  }

  /** The running process: its environment, system properties, home directory and clock. */
  static Environment system() {
    return new Environment(
        System::getenv,
        System::getProperty,
        systemHome(),
        Clock.systemUTC(),
        ECS_CONTAINER_HOST,
        CONNECT_TIMEOUT,
        READ_TIMEOUT);
  }

  /**
   * An environment for tests over the given maps, read live so a test may change them; home in
   * {@code home}, the system clock.
   */
  static Environment of(Map<String, String> variables, Map<String, String> properties, Path home) {
    Objects.requireNonNull(variables, "variables");
    Objects.requireNonNull(properties, "properties");
    return new Environment(
        variables::get, properties::get, home, Clock.systemUTC(), ECS_CONTAINER_HOST,
        CONNECT_TIMEOUT, READ_TIMEOUT);
  }

  Environment withClock(Clock clock) {
    return new Environment(
        variables, properties, home, clock, containerHost, connectTimeout, readTimeout);
  }

  /** Tests point the relative-URI container endpoint at their loopback fake. */
  Environment withContainerHost(URI containerHost) {
    return new Environment(
        variables, properties, home, clock, containerHost, connectTimeout, readTimeout);
  }

  Environment withTimeouts(Duration connectTimeout, Duration readTimeout) {
    return new Environment(
        variables, properties, home, clock, containerHost, connectTimeout, readTimeout);
  }

  /** The variable's value, absent when unset or blank (the SDKs treat blank as unset). */
  Optional<String> variable(String name) {
    return nonBlank(variables.apply(name));
  }

  /** The system property's value, absent when unset or blank. */
  Optional<String> property(String name) {
    return nonBlank(properties.apply(name));
  }

  Path home() {
    return home;
  }

  Clock clock() {
    return clock;
  }

  URI containerHost() {
    return containerHost;
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  Duration readTimeout() {
    return readTimeout;
  }

  /** Expands a leading {@code ~} as the AWS CLI and SDKs do for the shared file variables. */
  Path expandHome(String path) {
    if (path.equals("~")) {
      return home;
    }
    if (path.startsWith("~/") || path.startsWith("~\\")) {
      return home.resolve(path.substring(2));
    }
    return Paths.get(path);
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  // Same order as the AWS SDK for Java: HOME first, so a container or CI job that sets HOME
  // differently from the password database still finds its ~/.aws.
  private static Path systemHome() {
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      home = System.getenv("USERPROFILE");
    }
    if (home == null || home.isBlank()) {
      String drive = System.getenv("HOMEDRIVE");
      String path = System.getenv("HOMEPATH");
      home = drive != null && path != null ? drive + path : null;
    }
    if (home == null || home.isBlank()) {
      home = System.getProperty("user.home", ".");
    }
    return Paths.get(home);
  }
}

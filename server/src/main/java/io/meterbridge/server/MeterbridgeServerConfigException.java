package io.meterbridge.server;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A {@link MeterbridgeServerConfig} with invalid settings. The message lists them all; {@link #problems()}
 * gives them one by one, so a front end can say where each value came from.
 */
public final class MeterbridgeServerConfigException extends IllegalArgumentException {
  /**
   * One invalid setting.
   *
   * @param setting the setting's name, such as {@code port}
   * @param message what is wrong, such as {@code must be between 0 and 65535, was 70000}
   */
  public record Problem(String setting, String message) {
    public Problem {
      Objects.requireNonNull(setting, "setting");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return setting + ": " + message;
    }
  }

  private final List<Problem> problems;

  /** An exception for {@code problems}, at least one. */
  public MeterbridgeServerConfigException(List<Problem> problems) {
    super("Invalid configuration: " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    this.problems = List.copyOf(problems);
  }

  /** The invalid settings, in the order they were checked. */
  public List<Problem> problems() {
    return problems;
  }
}

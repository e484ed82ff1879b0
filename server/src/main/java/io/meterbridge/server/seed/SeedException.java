package io.meterbridge.server.seed;

import java.util.List;

/**
 * A seed file that cannot be loaded: unreadable, not JSON, or with invalid entries. Each problem
 * names its JSON path, such as {@code products[2].type: 'SASS' is not one of SAAS, AMI, CONTAINER}.
 * Nothing of a seed file with problems is loaded.
 */
public final class SeedException extends RuntimeException {
  private static final int SHOWN = 20;

  private final List<String> problems;

  SeedException(String source, List<String> problems, int total) {
    super(message(source, problems, total));
    this.problems = List.copyOf(problems);
  }

  SeedException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.problems = List.of(problem);
  }

  /** The problems found, each starting with its JSON path (at most the first hundred). */
  public List<String> problems() {
    return problems;
  }

  private static String message(String source, List<String> problems, int total) {
    StringBuilder message = new StringBuilder("Seed file ").append(source).append(" has ")
        .append(total).append(total == 1 ? " problem" : " problems").append(", nothing was loaded:");
    problems.stream().limit(SHOWN).forEach(p -> message.append("\n  ").append(p));
    if (total > SHOWN) {
      message.append("\n  ... and ").append(total - SHOWN).append(" more");
    }
    return message.toString();
  }
}

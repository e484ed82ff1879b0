package io.meterbridge.server.reconcile;

import java.util.List;

/** A Daily Usage data feed file that cannot be read: every problem found, each naming its line. */
public final class FeedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  FeedException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, such as {@code line 3: usage_quantity: 'ten' is not a number}. */
  public List<String> problems() {
    return problems;
  }
}

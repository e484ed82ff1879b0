package io.meterbridge.server.faults;

import java.util.List;

/** A fault plan that does not read well: every problem, each with its JSON path. */
public final class FaultPlanException extends IllegalArgumentException {
  private final List<String> problems;

  public FaultPlanException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

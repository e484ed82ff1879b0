package io.meterbridge.server.faults;

import io.meterbridge.model.Operation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One rule of a {@link FaultPlan}: which calls it applies to, what it does, and how often: on a share
 * of the calls ({@code probability}) or on the next {@code count} calls.
 *
 * @param operation the operation, or empty for every one ({@code "*"})
 * @param kind what the fault does
 * @param probability the share of matching calls it fires on, 0 to 1
 * @param count the number of matching calls it fires on, from the first
 * @param delay how long {@link FaultKind#DELAY} holds a call
 */
public record FaultRule(Optional<Operation<?, ?>> operation, FaultKind kind, OptionalDouble probability,
    OptionalInt count, Duration delay) {

  public FaultRule {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(probability, "probability");
    Objects.requireNonNull(count, "count");
    Objects.requireNonNull(delay, "delay");
    if (probability.isPresent() == count.isPresent()) {
      throw new IllegalArgumentException("a fault rule needs exactly one of probability and count");
    }
  }

  /** Whether the rule can apply to a call of {@code op} (unprocessed: BatchMeterUsage only). */
  boolean matches(Operation<?, ?> op) {
    if (kind == FaultKind.UNPROCESSED && op != Operation.BATCH_METER_USAGE) {
      return false;
    }
    return operation.isEmpty() || operation.get() == op;
  }

  /** The operation's name in rules: the API's name, or {@code *}. */
  public String operationName() {
    return operation.map(Operation::name).orElse("*");
  }
}

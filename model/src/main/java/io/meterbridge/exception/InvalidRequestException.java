package io.meterbridge.exception;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request breaks a constraint of the service model: a required member is missing, a string is
 * too long or does not match its pattern, a number is out of range, a list is too long, or two
 * members that exclude each other are both set. Each violation names the member path, the value
 * and the constraint, for example {@code usageRecords[3].quantity: -1 is below the minimum 0}.
 *
 * <p>The client throws it before sending; the server answers it as {@code ValidationException}.
 *
 * <pre>{@code
 * catch (InvalidRequestException e) {
 *   e.violations().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class InvalidRequestException extends MeteringClientException {
  private final List<String> violations;

  /** A request that breaks these constraints, each as {@code path: what is wrong}. */
  public InvalidRequestException(List<String> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  /** Each violation as {@code path: what is wrong}. */
  public List<String> violations() {
    return violations;
  }

  /** The same violations with {@code prefix.} put before each path, for nested members. */
  public InvalidRequestException under(String prefix) {
    return new InvalidRequestException(
        violations.stream().map(v -> prefix + "." + v).collect(Collectors.toList()));
  }

  private static String describe(List<String> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("no violations");
    }
    int n = violations.size();
    return n + (n == 1 ? " validation error" : " validation errors") + " detected: "
        + String.join("; ", violations);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code InvalidUsageAllocationsException} (its HTTP status by default: see {@link ErrorCode}): The allocated quantities do not add up to the usage quantity, or two allocations have the same tags.
 *
 * <pre>{@code
 * catch (InvalidUsageAllocationsException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidUsageAllocationsException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidUsageAllocationsException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidUsageAllocationsException(String message) {
    this(message, ErrorCode.INVALID_USAGE_ALLOCATIONS.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidUsageAllocationsException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code IdempotencyConflictException} (its HTTP status by default: see {@link ErrorCode}): The ClientToken was used before with different parameters.
 *
 * <pre>{@code
 * catch (IdempotencyConflictException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class IdempotencyConflictException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "IdempotencyConflictException";

  /** An error with the default status and no request id, as the server raises it. */
  public IdempotencyConflictException(String message) {
    this(message, ErrorCode.IDEMPOTENCY_CONFLICT.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public IdempotencyConflictException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

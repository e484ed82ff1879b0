package io.meterbridge.exception;

/**
 * Wire error {@code ValidationException} (its HTTP status by default: see {@link ErrorCode}): The request breaks a constraint of the service model.
 *
 * <pre>{@code
 * catch (ValidationException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class ValidationException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "ValidationException";

  /** An error with the default status and no request id, as the server raises it. */
  public ValidationException(String message) {
    this(message, ErrorCode.VALIDATION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public ValidationException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

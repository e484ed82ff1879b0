package io.meterbridge.exception;

/**
 * Wire error {@code InvalidTokenException} (its HTTP status by default: see {@link ErrorCode}): The registration token is invalid.
 *
 * <pre>{@code
 * catch (InvalidTokenException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidTokenException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidTokenException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidTokenException(String message) {
    this(message, ErrorCode.INVALID_TOKEN.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidTokenException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

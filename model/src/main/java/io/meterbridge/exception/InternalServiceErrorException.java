package io.meterbridge.exception;

/**
 * Wire error {@code InternalServiceErrorException} (its HTTP status by default: see {@link ErrorCode}): An internal error occurred; retry the request.
 *
 * <pre>{@code
 * catch (InternalServiceErrorException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InternalServiceErrorException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InternalServiceErrorException";

  /** An error with the default status and no request id, as the server raises it. */
  public InternalServiceErrorException(String message) {
    this(message, ErrorCode.INTERNAL_SERVICE_ERROR.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InternalServiceErrorException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

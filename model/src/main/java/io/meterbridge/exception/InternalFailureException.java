package io.meterbridge.exception;

/**
 * Wire error {@code InternalFailure} (its HTTP status by default: see {@link ErrorCode}): The service failed for an unknown reason; retry the request.
 *
 * <pre>{@code
 * catch (InternalFailureException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InternalFailureException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InternalFailure";

  /** An error with the default status and no request id, as the server raises it. */
  public InternalFailureException(String message) {
    this(message, ErrorCode.INTERNAL_FAILURE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InternalFailureException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

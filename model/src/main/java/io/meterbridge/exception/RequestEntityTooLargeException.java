package io.meterbridge.exception;

/**
 * Wire error {@code RequestEntityTooLargeException} (its HTTP status by default: see {@link ErrorCode}): The request body is 1 MB or larger.
 *
 * <pre>{@code
 * catch (RequestEntityTooLargeException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class RequestEntityTooLargeException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "RequestEntityTooLargeException";

  /** An error with the default status and no request id, as the server raises it. */
  public RequestEntityTooLargeException(String message) {
    this(message, ErrorCode.REQUEST_ENTITY_TOO_LARGE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public RequestEntityTooLargeException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

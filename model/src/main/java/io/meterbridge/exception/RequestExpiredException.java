package io.meterbridge.exception;

/**
 * Wire error {@code RequestExpired} (its HTTP status by default: see {@link ErrorCode}): The request's date is more than 15 minutes away from the service's clock.
 *
 * <pre>{@code
 * catch (RequestExpiredException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class RequestExpiredException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "RequestExpired";

  /** An error with the default status and no request id, as the server raises it. */
  public RequestExpiredException(String message) {
    this(message, ErrorCode.REQUEST_EXPIRED.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public RequestExpiredException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

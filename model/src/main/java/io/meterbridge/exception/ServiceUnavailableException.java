package io.meterbridge.exception;

/**
 * Wire error {@code ServiceUnavailable} (its HTTP status by default: see {@link ErrorCode}): The service is temporarily unavailable; retry the request.
 *
 * <pre>{@code
 * catch (ServiceUnavailableException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class ServiceUnavailableException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "ServiceUnavailable";

  /** An error with the default status and no request id, as the server raises it. */
  public ServiceUnavailableException(String message) {
    this(message, ErrorCode.SERVICE_UNAVAILABLE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public ServiceUnavailableException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

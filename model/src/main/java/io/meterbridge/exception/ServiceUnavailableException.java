package io.meterbridge.exception;

/**
 * Wire error {@code ServiceUnavailable} (HTTP 503 by default): The service is temporarily unavailable; retry the request.
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
    this(message, 503, "");
  }

  /** An error as a client received it. */
  public ServiceUnavailableException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code InternalFailure} (HTTP 500 by default): The service failed for an unknown reason; retry the request.
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
    this(message, 500, "");
  }

  /** An error as a client received it. */
  public InternalFailureException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

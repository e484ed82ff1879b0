package io.meterbridge.exception;

/**
 * Wire error {@code InvalidEndpointRegionException} (its HTTP status by default: see {@link ErrorCode}): The Region of the endpoint and the Region of the resource do not match.
 *
 * <pre>{@code
 * catch (InvalidEndpointRegionException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidEndpointRegionException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidEndpointRegionException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidEndpointRegionException(String message) {
    this(message, ErrorCode.INVALID_ENDPOINT_REGION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidEndpointRegionException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

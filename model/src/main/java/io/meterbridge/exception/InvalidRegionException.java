package io.meterbridge.exception;

/**
 * Wire error {@code InvalidRegionException} (its HTTP status by default: see {@link ErrorCode}): RegisterUsage was not called in the Region the ECS task was launched in.
 *
 * <pre>{@code
 * catch (InvalidRegionException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidRegionException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidRegionException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidRegionException(String message) {
    this(message, ErrorCode.INVALID_REGION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidRegionException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code InvalidRegionException} (HTTP 400 by default): RegisterUsage was not called in the Region the ECS task was launched in.
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
    this(message, 400, "");
  }

  /** An error as a client received it. */
  public InvalidRegionException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

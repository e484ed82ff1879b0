package io.meterbridge.exception;

/**
 * Wire error {@code ThrottlingException} (its HTTP status by default: see {@link ErrorCode}): The calls to the API are throttled.
 *
 * <pre>{@code
 * catch (ThrottlingException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class ThrottlingException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "ThrottlingException";

  /** An error with the default status and no request id, as the server raises it. */
  public ThrottlingException(String message) {
    this(message, ErrorCode.THROTTLING.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public ThrottlingException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

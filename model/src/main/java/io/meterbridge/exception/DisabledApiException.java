package io.meterbridge.exception;

/**
 * Wire error {@code DisabledApiException} (its HTTP status by default: see {@link ErrorCode}): The API is disabled in the Region.
 *
 * <pre>{@code
 * catch (DisabledApiException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class DisabledApiException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "DisabledApiException";

  /** An error with the default status and no request id, as the server raises it. */
  public DisabledApiException(String message) {
    this(message, ErrorCode.DISABLED_API.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public DisabledApiException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

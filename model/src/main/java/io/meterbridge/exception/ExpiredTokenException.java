package io.meterbridge.exception;

/**
 * Wire error {@code ExpiredTokenException} (its HTTP status by default: see {@link ErrorCode}): The registration token has expired, was already used, or was held too long (ResolveCustomer).
 *
 * <pre>{@code
 * catch (ExpiredTokenException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class ExpiredTokenException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "ExpiredTokenException";

  /** An error with the default status and no request id, as the server raises it. */
  public ExpiredTokenException(String message) {
    this(message, ErrorCode.EXPIRED_TOKEN.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public ExpiredTokenException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

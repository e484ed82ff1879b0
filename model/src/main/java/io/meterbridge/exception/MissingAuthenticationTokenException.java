package io.meterbridge.exception;

/**
 * Wire error {@code MissingAuthenticationTokenException} (its HTTP status by default: see {@link ErrorCode}): The request carries no signature.
 *
 * <pre>{@code
 * catch (MissingAuthenticationTokenException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class MissingAuthenticationTokenException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "MissingAuthenticationTokenException";

  /** An error with the default status and no request id, as the server raises it. */
  public MissingAuthenticationTokenException(String message) {
    this(message, ErrorCode.MISSING_AUTHENTICATION_TOKEN.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public MissingAuthenticationTokenException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

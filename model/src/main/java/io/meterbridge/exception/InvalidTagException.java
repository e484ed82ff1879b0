package io.meterbridge.exception;

/**
 * Wire error {@code InvalidTagException} (its HTTP status by default: see {@link ErrorCode}): A tag is invalid, or there are more than 5 tag keys.
 *
 * <pre>{@code
 * catch (InvalidTagException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidTagException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidTagException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidTagException(String message) {
    this(message, ErrorCode.INVALID_TAG.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidTagException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code InvalidSignatureException} (its HTTP status by default: see {@link ErrorCode}): The request signature does not match, or it has expired.
 *
 * <pre>{@code
 * catch (InvalidSignatureException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidSignatureException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidSignatureException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidSignatureException(String message) {
    this(message, ErrorCode.INVALID_SIGNATURE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidSignatureException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

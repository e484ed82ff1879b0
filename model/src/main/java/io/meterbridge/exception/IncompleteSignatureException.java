package io.meterbridge.exception;

/**
 * Wire error {@code IncompleteSignatureException} (its HTTP status by default: see {@link ErrorCode}): The Authorization header is malformed or lacks a required part.
 *
 * <pre>{@code
 * catch (IncompleteSignatureException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class IncompleteSignatureException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "IncompleteSignatureException";

  /** An error with the default status and no request id, as the server raises it. */
  public IncompleteSignatureException(String message) {
    this(message, ErrorCode.INCOMPLETE_SIGNATURE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public IncompleteSignatureException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

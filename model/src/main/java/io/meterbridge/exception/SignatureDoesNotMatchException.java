package io.meterbridge.exception;

/**
 * Wire error {@code SignatureDoesNotMatch} (its HTTP status by default: see {@link ErrorCode}): The signature does not match the request.
 *
 * <pre>{@code
 * catch (SignatureDoesNotMatchException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class SignatureDoesNotMatchException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "SignatureDoesNotMatch";

  /** An error with the default status and no request id, as the server raises it. */
  public SignatureDoesNotMatchException(String message) {
    this(message, ErrorCode.SIGNATURE_DOES_NOT_MATCH.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public SignatureDoesNotMatchException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

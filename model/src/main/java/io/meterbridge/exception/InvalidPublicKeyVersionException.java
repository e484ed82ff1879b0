package io.meterbridge.exception;

/**
 * Wire error {@code InvalidPublicKeyVersionException} (its HTTP status by default: see {@link ErrorCode}): The public key version is invalid.
 *
 * <pre>{@code
 * catch (InvalidPublicKeyVersionException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidPublicKeyVersionException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidPublicKeyVersionException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidPublicKeyVersionException(String message) {
    this(message, ErrorCode.INVALID_PUBLIC_KEY_VERSION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidPublicKeyVersionException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

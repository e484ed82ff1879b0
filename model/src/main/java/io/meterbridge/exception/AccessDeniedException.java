package io.meterbridge.exception;

/**
 * Wire error {@code AccessDeniedException} (its HTTP status by default: see {@link ErrorCode}): The caller is not allowed to perform the operation on the resource.
 *
 * <pre>{@code
 * catch (AccessDeniedException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class AccessDeniedException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "AccessDeniedException";

  /** An error with the default status and no request id, as the server raises it. */
  public AccessDeniedException(String message) {
    this(message, ErrorCode.ACCESS_DENIED.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public AccessDeniedException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

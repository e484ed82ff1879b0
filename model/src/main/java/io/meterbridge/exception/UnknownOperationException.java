package io.meterbridge.exception;

/**
 * Wire error {@code UnknownOperationException} (its HTTP status by default: see {@link ErrorCode}): The X-Amz-Target names no operation of this service.
 *
 * <pre>{@code
 * catch (UnknownOperationException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class UnknownOperationException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "UnknownOperationException";

  /** An error with the default status and no request id, as the server raises it. */
  public UnknownOperationException(String message) {
    this(message, ErrorCode.UNKNOWN_OPERATION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public UnknownOperationException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code DuplicateRequestException} (its HTTP status by default: see {@link ErrorCode}): A metering record was already emitted by the same EC2 instance, ECS task or EKS pod for the dimension and hour, with a different quantity.
 *
 * <pre>{@code
 * catch (DuplicateRequestException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class DuplicateRequestException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "DuplicateRequestException";

  /** An error with the default status and no request id, as the server raises it. */
  public DuplicateRequestException(String message) {
    this(message, ErrorCode.DUPLICATE_REQUEST.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public DuplicateRequestException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

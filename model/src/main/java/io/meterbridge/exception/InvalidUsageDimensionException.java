package io.meterbridge.exception;

/**
 * Wire error {@code InvalidUsageDimensionException} (its HTTP status by default: see {@link ErrorCode}): The usage dimension is not one of the product's dimensions.
 *
 * <pre>{@code
 * catch (InvalidUsageDimensionException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidUsageDimensionException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidUsageDimensionException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidUsageDimensionException(String message) {
    this(message, ErrorCode.INVALID_USAGE_DIMENSION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidUsageDimensionException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * Wire error {@code InvalidProductCodeException} (its HTTP status by default: see {@link ErrorCode}): The product code does not match the product code used for publishing the product.
 *
 * <pre>{@code
 * catch (InvalidProductCodeException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidProductCodeException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidProductCodeException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidProductCodeException(String message) {
    this(message, ErrorCode.INVALID_PRODUCT_CODE.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidProductCodeException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

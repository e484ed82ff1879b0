package io.meterbridge.exception;

/**
 * Wire error {@code CustomerNotEntitledException} (its HTTP status by default: see {@link ErrorCode}): The customer does not have a valid subscription for the product.
 *
 * <pre>{@code
 * catch (CustomerNotEntitledException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class CustomerNotEntitledException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "CustomerNotEntitledException";

  /** An error with the default status and no request id, as the server raises it. */
  public CustomerNotEntitledException(String message) {
    this(message, ErrorCode.CUSTOMER_NOT_ENTITLED.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public CustomerNotEntitledException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

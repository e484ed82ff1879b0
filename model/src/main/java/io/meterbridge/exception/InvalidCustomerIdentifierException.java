package io.meterbridge.exception;

/**
 * Wire error {@code InvalidCustomerIdentifierException} (its HTTP status by default: see {@link ErrorCode}): Usage was metered for a CustomerIdentifier that does not exist.
 *
 * <pre>{@code
 * catch (InvalidCustomerIdentifierException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class InvalidCustomerIdentifierException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "InvalidCustomerIdentifierException";

  /** An error with the default status and no request id, as the server raises it. */
  public InvalidCustomerIdentifierException(String message) {
    this(message, ErrorCode.INVALID_CUSTOMER_IDENTIFIER.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public InvalidCustomerIdentifierException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

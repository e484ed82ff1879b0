package io.meterbridge.exception;

/**
 * Wire error {@code UnrecognizedClientException} (its HTTP status by default: see {@link ErrorCode}): The access key id is not known to the service.
 *
 * <pre>{@code
 * catch (UnrecognizedClientException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class UnrecognizedClientException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "UnrecognizedClientException";

  /** An error with the default status and no request id, as the server raises it. */
  public UnrecognizedClientException(String message) {
    this(message, ErrorCode.UNRECOGNIZED_CLIENT.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public UnrecognizedClientException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

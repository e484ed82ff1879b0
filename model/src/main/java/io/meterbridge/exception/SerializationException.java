package io.meterbridge.exception;

/**
 * Wire error {@code SerializationException} (its HTTP status by default: see {@link ErrorCode}): The request body is not valid JSON or a member has the wrong type.
 *
 * <pre>{@code
 * catch (SerializationException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class SerializationException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "SerializationException";

  /** An error with the default status and no request id, as the server raises it. */
  public SerializationException(String message) {
    this(message, ErrorCode.SERIALIZATION.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public SerializationException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

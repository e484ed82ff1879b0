package io.meterbridge.exception;

/**
 * Wire error {@code TimestampOutOfBoundsException} (its HTTP status by default: see {@link ErrorCode}): A timestamp is outside the allowed range; for BatchMeterUsage the whole batch is rejected.
 *
 * <pre>{@code
 * catch (TimestampOutOfBoundsException e) {
 *   System.err.println(e.serviceMessage());
 * }
 * }</pre>
 */
public final class TimestampOutOfBoundsException extends MeteringServiceException {
  /** The wire code of this error. */
  public static final String CODE = "TimestampOutOfBoundsException";

  /** An error with the default status and no request id, as the server raises it. */
  public TimestampOutOfBoundsException(String message) {
    this(message, ErrorCode.TIMESTAMP_OUT_OF_BOUNDS.defaultStatus(), "");
  }

  /** An error as a client received it. */
  public TimestampOutOfBoundsException(String message, int statusCode, String requestId) {
    super(CODE, message, statusCode, requestId);
  }
}

package io.meterbridge.exception;

/**
 * The call did not get a valid answer from the service: the request was refused before sending,
 * the connection failed, a timeout fired, or the response could not be read.
 *
 * <pre>{@code
 * catch (MeteringClientException e) {
 *   if (e.retryable()) { ... }
 * }
 * }</pre>
 */
public class MeteringClientException extends MeteringException {
  private final boolean retryable;

  /** A failure that repeating the call will not mend. */
  public MeteringClientException(String message) {
    this(message, null, false);
  }

  /** A failure that repeating the call will not mend, caused by {@code cause}. */
  public MeteringClientException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * A failure caused by {@code cause}.
   *
   * @param retryable whether the same call may succeed when repeated (I/O errors are, a request
   *     that fails validation is not)
   */
  public MeteringClientException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}

package io.meterbridge.exception;

/**
 * Base of every exception Meterbridge throws: unchecked, and split into
 * {@link MeteringClientException} (the call never got a valid answer: bad input, I/O, timeout,
 * signing) and {@link MeteringServiceException} (the service answered with an error code).
 *
 * <pre>{@code
 * try {
 *   client.meterUsage(request);
 * } catch (ThrottlingException e) {
 *   // back off
 * } catch (MeteringServiceException e) {
 *   log.warn("{} {} (request {})", e.errorCode(), e.serviceMessage(), e.requestId().orElse("-"));
 * } catch (MeteringClientException e) {
 *   // network trouble or a request the client refused to send
 * }
 * }</pre>
 */
public class MeteringException extends RuntimeException {
  /** For the subclasses: the client-side and the service-side failures. */
  protected MeteringException(String message) {
    super(message);
  }

  /** For the subclasses, with the failure's cause. */
  protected MeteringException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether repeating the same call may succeed. */
  public boolean retryable() {
    return false;
  }
}

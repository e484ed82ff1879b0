package io.meterbridge.client;

import io.meterbridge.exception.MeteringClientException;
import java.time.Duration;

/**
 * One HTTP attempt took longer than the client's
 * {@linkplain ClientBuilder#apiCallAttemptTimeout(Duration) attempt timeout}: no complete response
 * arrived in time. Retryable: the client tries again while its retry policy allows, and throws this
 * only when the last attempt timed out.
 *
 * <pre>{@code
 * try {
 *   client.registerUsage(request);
 * } catch (ApiCallAttemptTimeoutException e) {
 *   // every attempt timed out; e.timeout() says after how long each one was abandoned
 * }
 * }</pre>
 */
public final class ApiCallAttemptTimeoutException extends MeteringClientException {
  private final Duration timeout;

  /**
   * An attempt timeout.
   *
   * <pre>{@code
   * throw new ApiCallAttemptTimeoutException("attempt 1 of MeterUsage timed out", Duration.ofSeconds(2));
   * }</pre>
   *
   * @param message what timed out
   * @param timeout the configured limit
   */
  public ApiCallAttemptTimeoutException(String message, Duration timeout) {
    super(message, null, true);
    this.timeout = timeout;
  }

  /**
   * The configured attempt timeout that expired.
   *
   * <pre>{@code
   * Duration limit = e.timeout();
   * }</pre>
   */
  public Duration timeout() {
    return timeout;
  }
}

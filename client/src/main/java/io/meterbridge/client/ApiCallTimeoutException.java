package io.meterbridge.client;

import io.meterbridge.exception.MeteringClientException;
import java.time.Duration;

/**
 * The whole call, all attempts and the waits between them, took longer than the client's
 * {@linkplain ClientBuilder#apiCallTimeout(Duration) API call timeout}. Final: the client does not
 * retry it. The failures of earlier attempts, if any, are attached as suppressed exceptions.
 *
 * <pre>{@code
 * try {
 *   client.meterUsage(request);
 * } catch (ApiCallTimeoutException e) {
 *   log.warn("gave up after {}", e.timeout());
 * }
 * }</pre>
 */
public final class ApiCallTimeoutException extends MeteringClientException {
  private final Duration timeout;

  /**
   * An API call timeout.
   *
   * <pre>{@code
   * throw new ApiCallTimeoutException("MeterUsage did not complete within PT5S", Duration.ofSeconds(5));
   * }</pre>
   *
   * @param message what timed out
   * @param timeout the configured limit
   */
  public ApiCallTimeoutException(String message, Duration timeout) {
    super(message, null, false);
    this.timeout = timeout;
  }

  /**
   * The configured API call timeout that expired.
   *
   * <pre>{@code
   * Duration limit = e.timeout();
   * }</pre>
   */
  public Duration timeout() {
    return timeout;
  }
}

package io.meterbridge.client;

import io.meterbridge.exception.MeteringClientException;

/**
 * The HTTP exchange failed below the protocol: the connection was refused, timed out while
 * connecting, was reset, or closed before a complete response arrived. Retryable: the request may
 * or may not have reached the service, and every operation of the service is safe to repeat
 * (MeterUsage thanks to the ClientToken the client keeps across retries).
 *
 * <pre>{@code
 * try {
 *   client.batchMeterUsage(request);
 * } catch (TransportException e) {
 *   log.warn("metering endpoint unreachable: {}", e.getMessage(), e.getCause());
 * }
 * }</pre>
 */
public final class TransportException extends MeteringClientException {
  /**
   * A transport failure.
   *
   * <pre>{@code
   * throw new TransportException("Connection refused: http://127.0.0.1:1/", ioException);
   * }</pre>
   *
   * @param message what failed, naming the endpoint
   * @param cause the I/O error
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause, true);
  }
}

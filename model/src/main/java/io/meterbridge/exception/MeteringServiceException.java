package io.meterbridge.exception;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The service answered with an error. {@link #errorCode()} is the wire code (such as
 * {@code ThrottlingException}); every code the service model or the AWS endpoint is known to send
 * has a final subclass, and unknown codes arrive as this class itself.
 *
 * <pre>{@code
 * catch (MeteringServiceException e) {
 *   System.err.printf("%s (%d): %s [request %s]%n",
 *       e.errorCode(), e.statusCode(), e.serviceMessage(), e.requestId().orElse("?"));
 * }
 * }</pre>
 */
public class MeteringServiceException extends MeteringException {
  /** Codes other AWS services use for throttling; a client should back off on any of them. */
  private static final Set<String> THROTTLING_CODES = Set.of(
      "ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException",
      "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
      "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
      "PriorRequestNotComplete", "EC2ThrottledException");

  private final String errorCode;
  private final String serviceMessage;
  private final int statusCode;
  private final String requestId;

  /**
   * @param errorCode the sanitised wire code
   * @param message the service's message, empty when it sent none
   * @param statusCode the HTTP status
   * @param requestId the {@code x-amzn-RequestId}, empty when unknown
   */
  public MeteringServiceException(String errorCode, String message, int statusCode, String requestId) {
    super(format(errorCode, message, statusCode, requestId));
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.serviceMessage = Objects.requireNonNullElse(message, "");
    this.statusCode = statusCode;
    this.requestId = Objects.requireNonNullElse(requestId, "");
  }

  /**
   * The exception for a wire error: the subclass registered for {@code errorCode}, or this class
   * for a code no subclass knows.
   */
  public static MeteringServiceException of(
      String errorCode, String message, int statusCode, String requestId) {
    return ErrorCode.find(errorCode)
        .map(code -> code.create(message, statusCode, requestId))
        .orElseGet(() -> new MeteringServiceException(errorCode, message, statusCode, requestId));
  }

  /**
   * Cleans a wire error code as the JSON protocols require: text before the first {@code :} (drops
   * legacy suffixes), then text after the first {@code #} (drops namespaces).
   */
  public static String sanitizeCode(String raw) {
    String code = raw.strip();
    int colon = code.indexOf(':');
    if (colon >= 0) {
      code = code.substring(0, colon);
    }
    int hash = code.indexOf('#');
    if (hash >= 0) {
      code = code.substring(hash + 1);
    }
    return code;
  }

  /** The wire error code, such as {@code InvalidProductCodeException}. */
  public String errorCode() {
    return errorCode;
  }

  /** The message the service sent, or an empty string. */
  public String serviceMessage() {
    return serviceMessage;
  }

  /** The HTTP status of the error response. */
  public int statusCode() {
    return statusCode;
  }

  /** The request id the service gave the call, if it sent one. */
  public Optional<String> requestId() {
    return requestId.isEmpty() ? Optional.empty() : Optional.of(requestId);
  }

  /** Whether this error says the caller is sending too fast. */
  public boolean throttling() {
    return statusCode == 429 || THROTTLING_CODES.contains(errorCode);
  }

  /** Throttling and server faults (5xx) are worth retrying; other client errors are not. */
  @Override
  public boolean retryable() {
    return throttling() || statusCode >= 500;
  }

  private static String format(String code, String message, int status, String requestId) {
    StringBuilder text = new StringBuilder(String.valueOf(code));
    if (message != null && !message.isEmpty()) {
      text.append(": ").append(message);
    }
    text.append(" (status ").append(status);
    if (requestId != null && !requestId.isEmpty()) {
      text.append(", request ").append(requestId);
    }
    return text.append(')').toString();
  }
}

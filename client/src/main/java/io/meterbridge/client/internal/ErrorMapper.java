package io.meterbridge.client.internal;

import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.internal.json.JsonCodec;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a non-2xx response into the exception for its wire error code, as the awsJson1_1 protocol
 * and the Java SDK v2 read errors: the code from {@code x-amzn-ErrorType} or the body's
 * {@code __type} / {@code code} (sanitised), the message from the body's {@code message} /
 * {@code Message} / {@code errorMessage} or {@code x-amzn-error-message}, the request id from
 * {@code x-amzn-RequestId} or {@code x-amz-request-id}.
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  /** The exception for an error response. */
  public static MeteringServiceException map(int status, HttpHeaders headers, byte[] body) {
    JsonCodec.ErrorBody error = JsonCodec.decodeError(body);
    Optional<String> code = headers.firstValue("x-amzn-ErrorType")
        .or(error::code)
        .map(MeteringServiceException::sanitizeCode)
        .filter(c -> !c.isEmpty());
    String requestId = requestId(headers).orElse("");
    if (code.isEmpty()) {
      // Not an AWS error: typically a proxy or load balancer page. Keep the status, show the start
      // of the body, and let the status decide retryability (a 502 or 503 is retried).
      return MeteringServiceException.of(genericCode(status), describe(status, headers, body),
          status, requestId);
    }
    String message = error.message()
        .or(() -> headers.firstValue("x-amzn-error-message"))
        .orElse("");
    return MeteringServiceException.of(code.get(), message, status, requestId);
  }

  /** The request id the service gave a response. */
  public static Optional<String> requestId(HttpHeaders headers) {
    return headers.firstValue("x-amzn-RequestId").or(() -> headers.firstValue("x-amz-request-id"));
  }

  /** The code for an error response without one: {@code Http502}, say. */
  static String genericCode(int status) {
    return "Http" + status;
  }

  private static String describe(int status, HttpHeaders headers, byte[] body) {
    String type = headers.firstValue("content-type").orElse("no content type");
    String text = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8)
        .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    if (text.length() > 160) {
      text = text.substring(0, 157) + "...";
    }
    return "HTTP " + status + " without an AWS error code (" + type + ", " + body.length + " bytes)"
        + (text.isEmpty() ? "" : ": " + text);
  }
}

package io.meterbridge.client.internal;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Logs each attempt's request and response, lines, headers and bodies, with secrets masked: the
 * signature in {@code Authorization} and the {@code X-Amz-Security-Token}. One log record per
 * message so concurrent calls do not interleave. Off unless the builder switches it on.
 */
final class WireLog {
  private static final Pattern SIGNATURE = Pattern.compile("Signature=[0-9a-fA-F]+");
  private static final int MAX_BODY = 16 * 1024;

  private final System.Logger logger;
  private final System.Logger.Level level;

  public WireLog(System.Logger logger, System.Logger.Level level) {
    this.logger = logger;
    this.level = level;
  }

  /** Logs a request about to be sent. */
  public void request(String invocationId, int attempt, URI uri, Map<String, String> headers,
      byte[] body) {
    if (!logger.isLoggable(level)) {
      return;
    }
    StringBuilder out = new StringBuilder(256 + body.length);
    out.append("--> POST ").append(uri).append(" (").append(invocationId).append(", attempt ")
        .append(attempt).append(")\n");
    headers.forEach((name, value) -> header(out, name, value));
    body(out, body);
    logger.log(level, out.append("--> END POST").toString());
  }

  /** Logs a response. */
  public void response(String invocationId, int attempt, int status, HttpHeaders headers,
      byte[] body, Duration latency) {
    if (!logger.isLoggable(level)) {
      return;
    }
    StringBuilder out = new StringBuilder(256 + body.length);
    out.append("<-- ").append(status).append(" (").append(invocationId).append(", attempt ")
        .append(attempt).append(", ").append(latency.toMillis()).append(" ms)\n");
    headers.map().forEach((name, values) -> {
      for (String value : values) {
        header(out, name, value);
      }
    });
    body(out, body);
    logger.log(level, out.append("<-- END HTTP").toString());
  }

  /** Logs something the client decided about an attempt, such as a clock correction. */
  public void note(String invocationId, int attempt, String text) {
    if (logger.isLoggable(level)) {
      logger.log(level, "--- NOTE (" + invocationId + ", attempt " + attempt + "): " + text);
    }
  }

  /** Logs an attempt that got no response. */
  public void failure(String invocationId, int attempt, Throwable failure, Duration latency) {
    if (logger.isLoggable(level)) {
      logger.log(level, "<-- FAILED (" + invocationId + ", attempt " + attempt + ", "
          + latency.toMillis() + " ms): " + failure);
    }
  }

  /** The value as the log shows it. */
  static String mask(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("authorization")) {
      return SIGNATURE.matcher(value).replaceAll("Signature=****");
    }
    if (lower.equals("x-amz-security-token") || lower.equals("cookie") || lower.equals("set-cookie")) {
      return "****";
    }
    return value;
  }

  private static void header(StringBuilder out, String name, String value) {
    out.append(name).append(": ").append(mask(name, value)).append('\n');
  }

  private static void body(StringBuilder out, byte[] body) {
    if (body.length == 0) {
      return;
    }
    int shown = Math.min(body.length, MAX_BODY);
    out.append('\n').append(new String(body, 0, shown, StandardCharsets.UTF_8));
    if (shown < body.length) {
      out.append("... (").append(body.length - shown).append(" more bytes)");
    }
    out.append('\n');
  }

}

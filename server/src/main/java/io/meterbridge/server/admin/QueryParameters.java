package io.meterbridge.server.admin;

import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The query parameters the admin listings share: each problem is collected, none thrown. */
final class QueryParameters {
  private QueryParameters() {}

  /** A parameter, or null when absent; present but empty is a problem. */
  static String text(PlainRequest request, String name, JsonInput.Problems problems) {
    String value = request.query(name).orElse(null);
    if (value != null && value.isBlank()) {
      problems.add(name, "must not be empty");
      return null;
    }
    return value;
  }

  /** An ISO-8601 instant, or null when absent or malformed (then a problem says so). */
  static Instant instant(PlainRequest request, String name, JsonInput.Problems problems) {
    String text = text(request, name, problems);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(name, "'" + text + "' is not an ISO-8601 instant such as 2026-03-31T23:00:00Z");
      return null;
    }
  }

  /** A page size from 1 to {@code max}, or null when absent or out of range (then a problem says so). */
  static Integer limit(PlainRequest request, int max, JsonInput.Problems problems) {
    String text = text(request, "limit", problems);
    if (text == null) {
      return null;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > max) {
      problems.add("limit", "'" + text + "' is not a number from 1 to " + max);
      return null;
    }
    return n;
  }
}

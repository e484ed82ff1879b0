package io.meterbridge.gateway.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 timestamps with a zone, as events carry them. The common form ({@code
 * 2026-03-01T10:15:00Z}, optional fraction, {@code Z} or {@code ±hh:mm}) is read by hand: {@link
 * OffsetDateTime#parse} costs several microseconds per event, a large share of ingest. Anything else
 * goes to {@code OffsetDateTime.parse}, which decides.
 */
final class Timestamps {
  private Timestamps() {}

  /**
   * @throws DateTimeParseException if {@code text} is not an ISO-8601 date-time with a zone
   */
  static Instant parse(String text) {
    Instant fast = fast(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  private static Instant fast(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        nanos = nanos * 10 + (s.charAt(i++) - '0');
      }
      if (i == start) {
        return null;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if ((oh | om) < 0 || oh > 18 || om > 59) {
        return null;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay(); // checks the day exists
    } catch (DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
  }

  /** The value of {@code count} decimal digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}

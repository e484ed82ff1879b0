package io.meterbridge.auth;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A request time in the ISO-8601 basic format SigV4 uses, {@code yyyyMMdd'T'HHmmss'Z'}, always UTC
 * and whole seconds.
 *
 * <pre>{@code
 * AmzDate date = AmzDate.parse("20150830T123600Z");
 * date.dateStamp();                                            // "20150830"
 * date.isWithin(Instant.now(), Duration.ofMinutes(15));        // skew check on the server
 * AmzDate.of(Instant.now()).toString();                        // value for X-Amz-Date
 * }</pre>
 */
public final class AmzDate {

  private final Instant instant;
  private final String text;

  private AmzDate(Instant instant, String text) {
    this.instant = instant;
    this.text = text;
  }

  /**
   * The request time of {@code instant}, truncated to the second.
   *
   * <pre>{@code
   * AmzDate.of(Instant.parse("2015-08-30T12:36:00.789Z")).toString(); // "20150830T123600Z"
   * }</pre>
   *
   * @throws IllegalArgumentException if the year is outside 0000..9999
   */
  public static AmzDate of(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      throw new IllegalArgumentException("year out of range for X-Amz-Date: " + instant);
    }
    // Hand formatting: DateTimeFormatter is several times slower and this runs per request.
    char[] c = new char[16];
    digits(c, 0, t.getYear(), 4);
    digits(c, 4, t.getMonthValue(), 2);
    digits(c, 6, t.getDayOfMonth(), 2);
    c[8] = 'T';
    digits(c, 9, t.getHour(), 2);
    digits(c, 11, t.getMinute(), 2);
    digits(c, 13, t.getSecond(), 2);
    c[15] = 'Z';
    return new AmzDate(Instant.ofEpochSecond(instant.getEpochSecond()), new String(c));
  }

  /**
   * Parses {@code yyyyMMdd'T'HHmmss'Z'} strictly: 16 characters, digits where digits belong, a real
   * calendar date and time.
   *
   * <pre>{@code
   * AmzDate.parse("20150830T123600Z").instant(); // 2015-08-30T12:36:00Z
   * AmzDate.parse("2015-08-30T12:36:00Z");       // throws: not the basic format
   * }</pre>
   *
   * @throws SigV4Exception with reason {@code MALFORMED_DATE} otherwise
   */
  public static AmzDate parse(CharSequence value) {
    Objects.requireNonNull(value, "value");
    String s = value.toString();
    if (s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z'
        || !allDigits(s, 0, 8) || !allDigits(s, 9, 15)) {
      throw malformed(s);
    }
    try {
      LocalDateTime t = LocalDateTime.of(
          number(s, 0, 4), number(s, 4, 6), number(s, 6, 8),
          number(s, 9, 11), number(s, 11, 13), number(s, 13, 15));
      return new AmzDate(t.toInstant(ZoneOffset.UTC), s);
    } catch (DateTimeException e) {
      throw malformed(s);
    }
  }

  /**
   * The instant, whole seconds.
   *
   * <pre>{@code
   * AmzDate.parse("20150830T123600Z").instant(); // 2015-08-30T12:36:00Z
   * }</pre>
   */
  public Instant instant() {
    return instant;
  }

  /**
   * The {@code yyyyMMdd} day, the first element of the credential scope.
   *
   * <pre>{@code
   * AmzDate.parse("20150830T123600Z").dateStamp(); // "20150830"
   * }</pre>
   */
  public String dateStamp() {
    return text.substring(0, 8);
  }

  /**
   * Whether this time is no more than {@code maxSkew} before or after {@code now}. AWS allows 15
   * minutes either way.
   *
   * <pre>{@code
   * date.isWithin(Instant.now(), Duration.ofMinutes(15));
   * }</pre>
   */
  public boolean isWithin(Instant now, Duration maxSkew) {
    return !instant.isBefore(now.minus(maxSkew)) && !instant.isAfter(now.plus(maxSkew));
  }

  /**
   * The {@code yyyyMMdd'T'HHmmss'Z'} form, the value of {@code X-Amz-Date}.
   *
   * <pre>{@code
   * AmzDate.of(Instant.EPOCH).toString(); // "19700101T000000Z"
   * }</pre>
   */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AmzDate other && instant.equals(other.instant);
  }

  @Override
  public int hashCode() {
    return instant.hashCode();
  }

  private static SigV4Exception malformed(String s) {
    return new SigV4Exception(SigV4Exception.Reason.MALFORMED_DATE,
        "X-Amz-Date must be in ISO-8601 basic format yyyyMMdd'T'HHmmss'Z'. Got '" + s + "'.");
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  private static boolean allDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int number(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + (s.charAt(i) - '0');
    }
    return n;
  }
}

package io.meterbridge.gateway.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * How long AWS accepts a record after its hour, and so each record's deadline. BatchMeterUsage since
 * 2026-07: 24 hours, and a month's records only until 06:00 UTC on the 1st of the next; the legacy
 * window was 6 hours. A record goes upstream stamped with the first instant of its hour, so its
 * deadline is {@code min(hour + window, month-end cutoff)}: from then on AWS answers
 * TimestampOutOfBounds.
 *
 * @param name the setting's value: {@code 24h} or {@code 6h}
 * @param window how long after its timestamp a record is accepted
 * @param monthEndCutoff when set, a month's records are accepted only until this long after midnight
 *     UTC on the 1st of the next month
 */
public record UpstreamWindow(String name, Duration window, Optional<Duration> monthEndCutoff) {
  /** How far ahead of the gateway's clock an event's timestamp may be. */
  public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  static final long HOUR_MS = 3_600_000L;

  /** The current window: 24 hours, month-end cutoff at 06:00 UTC. */
  public static UpstreamWindow current() {
    return new UpstreamWindow("24h", Duration.ofHours(24), Optional.of(Duration.ofHours(6)));
  }

  /** The legacy window: 6 hours. */
  public static UpstreamWindow legacy() {
    return new UpstreamWindow("6h", Duration.ofHours(6), Optional.empty());
  }

  /**
   * The window of a setting value.
   *
   * @throws IllegalArgumentException for anything but {@code 24h} or {@code 6h}
   */
  public static UpstreamWindow named(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "24h" -> current();
      case "6h" -> legacy();
      default -> throw new IllegalArgumentException(
          "'" + name + "' is not an upstream window: use 24h (AWS's current window) or 6h (legacy)");
    };
  }

  /** The first millisecond of the hour of {@code epochMillis}. */
  static long hourOf(long epochMillis) {
    return Math.floorDiv(epochMillis, HOUR_MS) * HOUR_MS;
  }

  /** The deadline of the record of {@code hour} (epoch ms): AWS refuses it from this instant on. */
  public long deadline(long hour) {
    long byAge = hour + window.toMillis();
    if (monthEndCutoff.isEmpty()) {
      return byAge;
    }
    return Math.min(byAge, monthOf(hour).cutoff);
  }

  /** A month, as epoch ms: its first instant, the next month's, and its usage's cutoff. */
  private record Month(long start, long end, long cutoff) {}

  // Every event asks; nearly all of them are of one month. (ZoneOffset.UTC.getRules() builds new rules
  // on each call in Java 17, which showed in profiles.)
  private static volatile Month lastMonth = new Month(0, 0, 0);

  private Month monthOf(long hour) {
    Month m = lastMonth;
    if (hour >= m.start && hour < m.end && m.cutoff == m.end + monthEndCutoff.get().toMillis()) {
      return m;
    }
    LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(hour, 86_400_000L)).withDayOfMonth(1);
    long start = first.toEpochDay() * 86_400_000L;
    long end = first.plusMonths(1).toEpochDay() * 86_400_000L;
    m = new Month(start, end, end + monthEndCutoff.get().toMillis());
    lastMonth = m;
    return m;
  }
}

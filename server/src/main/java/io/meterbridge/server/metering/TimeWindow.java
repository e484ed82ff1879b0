package io.meterbridge.server.metering;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How far in the past (and the future) a usage timestamp may lie when it reaches the service.
 *
 * <p>BatchMeterUsage today (model docs of 2026-07): records are refused 24 hours or more after the
 * event, and a previous month's records only until 06:00 UTC on the 1st of the next month. The
 * legacy policy refused records 6 hours or more after the event; MeterUsage still does. Neither
 * policy is documented for future timestamps: a small skew is allowed and the rest refused.
 *
 * <pre>{@code
 * Optional<String> why = TimeWindow.batchDefault().rejection(record.timestamp(), clock.instant());
 * }</pre>
 *
 * @param name how the policy is named in configuration
 * @param maxAge records this old or older are refused
 * @param monthEndCutoff when set, a previous month's records are refused from this long after
 *     midnight UTC on the 1st
 * @param futureSkew how far ahead of the server's clock a timestamp may be
 */
public record TimeWindow(String name, Duration maxAge, Optional<Duration> monthEndCutoff, Duration futureSkew) {
  /** The future skew of the built-in policies. */
  public static final Duration DEFAULT_FUTURE_SKEW = Duration.ofMinutes(5);
  private static final long SECONDS_A_DAY = 86_400;

  public TimeWindow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(maxAge, "maxAge");
    monthEndCutoff = Objects.requireNonNullElse(monthEndCutoff, Optional.empty());
    Objects.requireNonNull(futureSkew, "futureSkew");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    if (futureSkew.isNegative()) {
      throw new IllegalArgumentException("futureSkew must not be negative: " + futureSkew);
    }
  }

  /** BatchMeterUsage as documented since 2026-07: 24 hours, month-end cutoff 06:00 UTC. */
  public static TimeWindow batchDefault() {
    return new TimeWindow("24h", Duration.ofHours(24), Optional.of(Duration.ofHours(6)), DEFAULT_FUTURE_SKEW);
  }

  /** BatchMeterUsage as documented until 2026-06: 6 hours. */
  public static TimeWindow legacy() {
    return new TimeWindow("6h", Duration.ofHours(6), Optional.empty(), DEFAULT_FUTURE_SKEW);
  }

  /** MeterUsage: up to six hours in the past. */
  public static TimeWindow meterUsage() {
    return new TimeWindow("6h", Duration.ofHours(6), Optional.empty(), DEFAULT_FUTURE_SKEW);
  }

  /**
   * The BatchMeterUsage policy named in configuration: {@code 24h} (the default) or {@code 6h}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static TimeWindow batchPolicy(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "24h", "default" -> batchDefault();
      case "6h", "legacy" -> legacy();
      default -> throw new IllegalArgumentException(
          "unknown time-window policy '" + name + "': use 24h (the current documented window) or 6h (legacy)");
    };
  }

  /** This policy with another future skew. */
  public TimeWindow withFutureSkew(Duration skew) {
    return new TimeWindow(name, maxAge, monthEndCutoff, skew);
  }

  /** Why {@code timestamp} is refused at {@code now}, or empty when it is accepted. */
  public Optional<String> rejection(Instant timestamp, Instant now) {
    if (timestamp.isAfter(now.plus(futureSkew))) {
      return Optional.of("Timestamp " + timestamp + " is in the future (server time " + now + ")");
    }
    Duration age = Duration.between(timestamp, now);
    if (age.compareTo(maxAge) >= 0) {
      return Optional.of("Timestamp " + timestamp + " is " + describe(age) + " old; usage is accepted for "
          + describe(maxAge) + " after it happens (server time " + now + ")");
    }
    if (monthEndCutoff.isPresent()) {
      // Day arithmetic rather than a ZonedDateTime: this runs for every record of every batch.
      long today = Math.floorDiv(now.getEpochSecond(), SECONDS_A_DAY);
      long monthStart = LocalDate.ofEpochDay(today).withDayOfMonth(1).toEpochDay();
      Instant monthStartInstant = Instant.ofEpochSecond(monthStart * SECONDS_A_DAY);
      Instant cutoff = monthStartInstant.plus(monthEndCutoff.get());
      if (timestamp.isBefore(monthStartInstant) && !now.isBefore(cutoff)) {
        return Optional.of("Timestamp " + timestamp + " belongs to a closed billing month; the previous month's"
            + " usage is accepted until " + cutoff + " (server time " + now + ")");
      }
    }
    return Optional.empty();
  }

  private static String describe(Duration d) {
    long minutes = d.toMinutes();
    if (minutes % 60 == 0) {
      return (minutes / 60) + "h";
    }
    return (minutes / 60) + "h" + (minutes % 60) + "m";
  }
}

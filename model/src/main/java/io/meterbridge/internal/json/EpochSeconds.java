package io.meterbridge.internal.json;

import java.time.Instant;

/**
 * Reads a JSON number of epoch seconds ({@code 1700000000}, {@code 1700000000.5}, {@code 1.7e9})
 * in time linear in its characters, whatever its exponent.
 *
 * <p>Why not {@code BigDecimal}: {@code new BigDecimal("1e-100000000")} is cheap, but comparing or
 * scaling it computes a power of ten with a hundred million digits, which froze a network thread
 * for minutes. Here every digit is visited once and its weight (its power of ten) decides what it
 * adds: whole seconds (at most 10<sup>11</sup>, so a {@code long} holds them), nanoseconds, or
 * only whether anything is left below a nanosecond (which matters for rounding negative values
 * down). The exponent saturates instead of overflowing, so no input can cost more than its length.
 *
 * <p>Results are exactly those of the {@code BigDecimal} arithmetic it replaces: the seconds
 * rounded towards negative infinity, the nanoseconds of the remainder truncated.
 */
final class EpochSeconds {
  /** Year 5138 or so: far beyond any usage timestamp. */
  static final long MAX_SECONDS = 100_000_000_000L;

  private static final int MAX_WEIGHT = 11; // the power of ten of MAX_SECONDS
  private static final long SATURATED_EXPONENT = 1_000_000_000L;
  private static final long[] POWERS = new long[MAX_WEIGHT + 1];

  static {
    long p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private EpochSeconds() {}

  /**
   * The instant of {@code text[offset, offset + length)}, a number in JSON's grammar; null when it
   * is beyond {@link #MAX_SECONDS} either way or not a JSON number at all.
   */
  static Instant parse(char[] text, int offset, int length) {
    int end = offset + length;
    int i = offset;
    boolean negative = i < end && text[i] == '-';
    if (negative) {
      i++;
    }
    int intStart = i;
    while (i < end && digit(text[i])) {
      i++;
    }
    int intEnd = i;
    int fracStart = i;
    int fracEnd = i;
    if (i < end && text[i] == '.') {
      fracStart = ++i;
      while (i < end && digit(text[i])) {
        i++;
      }
      fracEnd = i;
      if (fracEnd == fracStart) {
        return null;
      }
    }
    long exponent = 0;
    if (i < end && (text[i] == 'e' || text[i] == 'E')) {
      i++;
      boolean negativeExponent = i < end && text[i] == '-';
      if (i < end && (text[i] == '-' || text[i] == '+')) {
        i++;
      }
      int expStart = i;
      while (i < end && digit(text[i])) {
        exponent = Math.min(exponent * 10 + (text[i] - '0'), SATURATED_EXPONENT);
        i++;
      }
      if (i == expStart) {
        return null;
      }
      exponent = negativeExponent ? -exponent : exponent;
    }
    if (i != end || intEnd == intStart) {
      return null;
    }

    long seconds = 0;
    long nanos = 0;
    boolean belowNanos = false;
    // The weight of the first integer digit; each further digit weighs one power of ten less.
    long weight = (intEnd - intStart - 1) + exponent;
    for (int d = intStart; d < fracEnd; d++) {
      if (d == intEnd) {
        d = fracStart;
        if (d == fracEnd) {
          break;
        }
      }
      int value = text[d] - '0';
      if (value != 0) {
        if (weight > MAX_WEIGHT) {
          return null;
        }
        if (weight >= 0) {
          seconds += value * POWERS[(int) weight];
        } else if (weight >= -9) {
          nanos += value * POWERS[(int) (9 + weight)];
        } else {
          belowNanos = true;
        }
      }
      weight--;
    }
    if (seconds > MAX_SECONDS || (seconds == MAX_SECONDS && (nanos != 0 || belowNanos))) {
      return null;
    }
    if (!negative) {
      return Instant.ofEpochSecond(seconds, nanos);
    }
    if (nanos == 0 && !belowNanos) {
      return Instant.ofEpochSecond(-seconds);
    }
    // -(s + f) = -(s + 1) + (1 - f): the floor, and a remainder whose nanoseconds are truncated.
    return Instant.ofEpochSecond(-seconds - 1, 1_000_000_000L - nanos - (belowNanos ? 1 : 0));
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}

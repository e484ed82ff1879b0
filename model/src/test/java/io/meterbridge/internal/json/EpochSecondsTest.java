package io.meterbridge.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EpochSecondsTest {

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "0.0", "1", "-1", "1785578400", "1785578400.5", "1785578400.123456789",
      "1785578400.1234567891", "-0.5", "-1.000000000001", "-1e-20", "1e-20", "1.7855784e9", "17855784E2",
      "1785578400123e-3", "0.000000001", "0.0000000019", "-0.0000000019", "100000000000", "-100000000000",
      "99999999999.999999999", "1e11", "-1E+11", "0.0e-5", "123.456e-2"})
  void parse_matchesTheBigDecimalArithmeticItReplaces(String text) {
    assertThat(parse(text)).isEqualTo(reference(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"100000000000.000000001", "-100000000000.1", "1e12", "1e100000000", "-1e100000000",
      "1e99999999999999999999", "100000000001", "", "-", "1.", "1e", "1e+", "x", "1x"})
  void parse_outOfRangeOrNotANumber_isNull(String text) {
    assertThat(parse(text)).isNull();
  }

  @Test
  void parse_tinyExponents_costNoMoreThanTheirCharacters() {
    // Each of these took seconds to minutes through BigDecimal.
    assertThat(parse("1e-100000000")).isEqualTo(Instant.EPOCH);
    assertThat(parse("-1e-100000000")).isEqualTo(Instant.ofEpochSecond(-1, 999_999_999));
    assertThat(parse("1e-99999999999999999999")).isEqualTo(Instant.EPOCH);
    assertThat(parse("0e999999999999")).isEqualTo(Instant.EPOCH);
  }

  @Test
  void parse_randomNumbers_matchBigDecimal() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      if (random.nextBoolean()) {
        text.append('-');
      }
      int digits = 1 + random.nextInt(14);
      text.append(1 + random.nextInt(9));
      for (int d = 1; d < digits; d++) {
        text.append(random.nextInt(10));
      }
      if (random.nextBoolean()) {
        text.append('.');
        int fraction = 1 + random.nextInt(15);
        for (int d = 0; d < fraction; d++) {
          text.append(random.nextInt(10));
        }
      }
      if (random.nextInt(3) == 0) {
        text.append('e').append(random.nextInt(-20, 12));
      }
      String s = text.toString();
      assertThat(parse(s)).as(s).isEqualTo(reference(s));
    }
  }

  private static Instant parse(String text) {
    return EpochSeconds.parse(text.toCharArray(), 0, text.length());
  }

  /** What the codec computed before: BigDecimal, fine for these small exponents. */
  private static Instant reference(String text) {
    BigDecimal seconds = new BigDecimal(text);
    if (seconds.abs().compareTo(BigDecimal.valueOf(EpochSeconds.MAX_SECONDS)) > 0) {
      return null;
    }
    BigDecimal floor = seconds.setScale(0, RoundingMode.FLOOR);
    long nanos = seconds.subtract(floor).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
    return Instant.ofEpochSecond(floor.longValueExact(), nanos);
  }
}

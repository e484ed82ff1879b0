package io.meterbridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AmzDateTest {

  @Test
  void of_instantWithMillis_formatsBasicIsoTruncatedToSeconds() {
    AmzDate date = AmzDate.of(Instant.parse("2015-08-30T12:36:00.789Z"));

    assertThat(date).hasToString("20150830T123600Z");
    assertThat(date.instant()).isEqualTo(Instant.parse("2015-08-30T12:36:00Z"));
    assertThat(date.dateStamp()).isEqualTo("20150830");
  }

  @Test
  void parse_basicFormat_roundTrips() {
    AmzDate date = AmzDate.parse("20240229T235959Z");

    assertThat(date.instant()).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(AmzDate.of(date.instant())).isEqualTo(date).hasToString("20240229T235959Z");
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"", "2015-08-30T12:36:00Z", "20150830T123600", "20150830 123600Z",
      "20150830t123600z", "2015083OT123600Z", "20150230T123600Z", "20150830T246000Z",
      "+0150830T123600Z", "20150830T123600Z "})
  void parse_anythingButBasicFormat_isMalformedDate(String value) {
    assertThatThrownBy(() -> AmzDate.parse(value))
        .isInstanceOf(SigV4Exception.class)
        .hasMessage("X-Amz-Date must be in ISO-8601 basic format yyyyMMdd'T'HHmmss'Z'. Got '"
            + value + "'.")
        .satisfies(e -> assertThat(((SigV4Exception) e).reason())
            .isEqualTo(SigV4Exception.Reason.MALFORMED_DATE));
  }

  @Test
  void isWithin_fifteenMinutesEitherWay_isInclusive() {
    AmzDate date = AmzDate.parse("20150830T123600Z");
    Duration skew = Duration.ofMinutes(15);

    assertThat(date.isWithin(Instant.parse("2015-08-30T12:51:00Z"), skew)).isTrue();
    assertThat(date.isWithin(Instant.parse("2015-08-30T12:21:00Z"), skew)).isTrue();
    assertThat(date.isWithin(Instant.parse("2015-08-30T12:51:01Z"), skew)).isFalse();
    assertThat(date.isWithin(Instant.parse("2015-08-30T12:20:59Z"), skew)).isFalse();
  }

  @Test
  void of_yearBeyond9999_throwsIllegalArgument() {
    assertThatThrownBy(() -> AmzDate.of(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("year out of range for X-Amz-Date");
  }
}

package io.meterbridge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  @ParameterizedTest
  @ValueSource(strings = {"2026-03-01T10:15:00Z", "2026-03-01T10:15:00.5Z", "2026-03-01T10:15:00.123456789Z",
      "2026-03-01T10:15:00+02:00", "2026-03-01T10:15:00.25-05:30", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z",
      "2026-03-01T10:15Z", "2026-03-01T10:15:00.Z"})
  void parse_agreesWithOffsetDateTime(String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(OffsetDateTime.parse(text).toInstant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T10:15:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:15:00", "2026-03-01",
      "2026-03-01T10:15:00+0200", "tomorrow", "2026-03-01 10:15:00Z"})
  void parse_refusesWhatOffsetDateTimeRefuses(String text) {
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeParseException.class);
  }

  @Test
  void deadline_isTheWindowOrTheMonthEndCutoff() {
    UpstreamWindow w = UpstreamWindow.current();
    long mid = OffsetDateTime.parse("2026-03-10T10:00:00Z").toInstant().toEpochMilli();
    long last = OffsetDateTime.parse("2026-03-31T23:00:00Z").toInstant().toEpochMilli();
    long early = OffsetDateTime.parse("2026-03-31T05:00:00Z").toInstant().toEpochMilli();
    assertThat(w.deadline(mid)).isEqualTo(mid + 24 * 3_600_000L);
    assertThat(w.deadline(last)).isEqualTo(OffsetDateTime.parse("2026-04-01T06:00:00Z").toInstant().toEpochMilli());
    assertThat(w.deadline(early)).isEqualTo(early + 24 * 3_600_000L);
    assertThat(UpstreamWindow.legacy().deadline(last)).isEqualTo(last + 6 * 3_600_000L);
  }
}

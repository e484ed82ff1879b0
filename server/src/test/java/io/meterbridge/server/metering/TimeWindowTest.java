package io.meterbridge.server.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {
  private static final TimeWindow BATCH = TimeWindow.batchDefault();

  @Test
  void batch_recordJustUnder24HoursOld_isAccepted() {
    Instant now = Instant.parse("2026-03-15T12:00:00Z");
    assertThat(BATCH.rejection(now.minus(Duration.ofHours(24)).plusSeconds(1), now)).isEmpty();
  }

  @Test
  void batch_record24HoursOld_isRefused() {
    Instant now = Instant.parse("2026-03-15T12:00:00Z");
    assertThat(BATCH.rejection(now.minus(Duration.ofHours(24)), now))
        .hasValueSatisfying(why -> assertThat(why).contains("is 24h old"));
  }

  @ParameterizedTest
  @CsvSource({
      "2026-03-31T20:00:00Z, 2026-04-01T05:59:59Z, 2026-04-01T06:00:00Z",
      "2026-12-31T23:00:00Z, 2027-01-01T05:59:59Z, 2027-01-01T06:00:00Z", // across a year's end
  })
  void batch_previousMonthRecord_isAcceptedUntil0600UtcOnTheFirst(Instant record, Instant lastAccepted,
      Instant cutoff) {
    assertThat(BATCH.rejection(record, lastAccepted)).isEmpty();
    assertThat(BATCH.rejection(record, cutoff)).hasValueSatisfying(
        why -> assertThat(why).contains("closed billing month").contains(cutoff.toString()));
  }

  @Test
  void batch_midMonth_keepsTheMonthsFirstDaysOpen() {
    assertThat(BATCH.rejection(Instant.parse("2027-01-15T11:00:00Z"), Instant.parse("2027-01-16T10:00:00Z"))).isEmpty();
  }

  @Test
  void batch_currentMonthRecordAfterCutoff_isAccepted() {
    assertThat(BATCH.rejection(Instant.parse("2026-04-01T00:30:00Z"), Instant.parse("2026-04-01T07:00:00Z"))).isEmpty();
  }

  @Test
  void legacy_record6HoursOld_isRefused() {
    Instant now = Instant.parse("2026-03-15T12:00:00Z");
    assertThat(TimeWindow.legacy().rejection(now.minus(Duration.ofHours(6)), now)).isPresent();
    assertThat(TimeWindow.legacy().rejection(now.minus(Duration.ofMinutes(359)), now)).isEmpty();
  }

  @Test
  void futureTimestamp_beyondSkew_isRefused() {
    Instant now = Instant.parse("2026-03-15T12:00:00Z");
    assertThat(BATCH.rejection(now.plus(Duration.ofMinutes(5)), now)).isEmpty();
    assertThat(BATCH.rejection(now.plus(Duration.ofMinutes(6)), now))
        .hasValueSatisfying(why -> assertThat(why).contains("in the future"));
  }

  @Test
  void batchPolicy_unknownName_namesTheChoices() {
    assertThat(TimeWindow.batchPolicy("6h")).isEqualTo(TimeWindow.legacy());
    assertThatThrownBy(() -> TimeWindow.batchPolicy("12h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use 24h");
  }
}

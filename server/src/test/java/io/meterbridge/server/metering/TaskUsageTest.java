package io.meterbridge.server.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskUsageTest {
  private static Instant at(String time) {
    return Instant.parse("2026-11-22T" + time + "Z");
  }

  @Test
  void hourly_singleCall_isMeteredTheOneMinuteMinimum() {
    assertThat(TaskUsage.hourly(at("10:15:00"), at("10:15:00")))
        .containsExactly(new TaskUsage.Hour(at("10:00:00"), 60));
  }

  @Test
  void hourly_minimumAcrossAnHourBoundary_splitsToTheSecond() {
    assertThat(TaskUsage.hourly(at("10:59:30"), at("10:59:30"))).containsExactly(
        new TaskUsage.Hour(at("10:00:00"), 30), new TaskUsage.Hour(at("11:00:00"), 30));
  }

  @Test
  void hourly_longTask_isProratedToTheSecondPerClockHour() {
    assertThat(TaskUsage.hourly(at("10:15:00"), at("12:00:10"))).containsExactly(
        new TaskUsage.Hour(at("10:00:00"), 2700),
        new TaskUsage.Hour(at("11:00:00"), 3600),
        new TaskUsage.Hour(at("12:00:00"), 10));
  }
}

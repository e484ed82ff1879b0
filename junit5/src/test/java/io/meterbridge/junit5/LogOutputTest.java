package io.meterbridge.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The extension is quiet, except for a failing test: runs a test class through the JUnit launcher and looks. */
class LogOutputTest {
  static volatile boolean launched;

  @Test
  void aServersLogs_stayOffTheConsole_andAreShownForAFailingTestOnly() {
    List<LogRecord> reachedTheConsole = new CopyOnWriteArrayList<>();
    Handler console = new Handler() {
      @Override
      public void publish(LogRecord record) {
        reachedTheConsole.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    root.addHandler(console);
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    launched = true;
    try {
      LauncherFactory.create().execute(
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Fixture.class)).build(), listener);
    } finally {
      launched = false;
      System.setErr(originalErr);
      root.removeHandler(console);
    }

    TestExecutionSummary summary = listener.getSummary();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    assertThat(summary.getTestsFailedCount()).isEqualTo(1);
    assertThat(reachedTheConsole).extracting(LogRecord::getLoggerName)
        .noneMatch(name -> name.startsWith("io.meterbridge.server") || name.startsWith("org.flywaydb")
            || name.startsWith("com.zaxxer.hikari"));
    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("Meterbridge server log during failsAfterARestart(EmbeddedMeterbridge)")
        .doesNotContain("passes(")
        .containsIgnoringCase("flyway");
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @MeterbridgeTest
  static class Fixture {
    @Test
    @Order(1)
    void passes(EmbeddedMeterbridge meterbridge) {
      Assumptions.assumeTrue(launched, "run by LogOutputTest only");
      meterbridge.reset();
    }

    @Test
    @Order(2)
    void failsAfterARestart(EmbeddedMeterbridge meterbridge) {
      Assumptions.assumeTrue(launched, "run by LogOutputTest only");
      meterbridge.reset();
      throw new AssertionError("fails on purpose");
    }
  }
}

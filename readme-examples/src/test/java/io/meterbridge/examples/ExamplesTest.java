package io.meterbridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.junit5.EmbeddedMeterbridge;
import io.meterbridge.junit5.MeterbridgeTest;
import io.meterbridge.junit5.Reset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The README's programs, run as a newcomer runs them: against a server with the demo catalog. */
@Isolated("replaces System.out")
@MeterbridgeTest(reset = Reset.PER_TEST)
class ExamplesTest {

  @Test
  void clientExample_metersUsageOfTheDemoCatalog(EmbeddedMeterbridge meterbridge) {
    String printed = run(() -> ClientExample.main(new String[] {meterbridge.endpoint().toString()}));

    assertThat(printed.lines()).satisfiesExactly(
        line -> assertThat(line).matches("SUCCESS [0-9a-f-]{36}"),
        line -> assertThat(line).isEqualTo("0 record(s) to send again"));
    assertThat(meterbridge.batchRecords("demo-saas")).singleElement().satisfies(record -> {
      assertThat(record.quantity()).isEqualTo(42);
      assertThat(record.key().customerAccountId()).isEqualTo("444455556666");
    });
  }

  @Test
  void gatewayExample_acceptsTheEvent(EmbeddedMeterbridge meterbridge, @TempDir Path dir) {
    String printed = run(() -> GatewayExample.main(
        new String[] {meterbridge.endpoint().toString(), dir.resolve("metering").toString()}));

    assertThat(printed.lines()).containsExactly("req-1 ACCEPTED");
  }

  private static String run(Runnable program) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      program.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

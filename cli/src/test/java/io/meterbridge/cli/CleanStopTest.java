package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the command ends: SIGTERM after a clean stop is a success, no command at all a usage error. */
class CleanStopTest {
  @TempDir
  Path dir;

  @Test
  void serve_sigterm_exitsWith0AfterTheCleanStop() throws Exception {
    Path log = dir.resolve("serve.log");
    GatewayProcess serve = GatewayProcess.startCommand("serve", Map.of(), log, "--data", dir.resolve("data").toString());

    int exit = serve.stop();

    assertThat(exit).as("exit code; log:%n%s", Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("Meterbridge stopped.");
  }

  @Test
  void gateway_sigterm_exitsWith0AfterTheCleanStop() throws Exception {
    Path log = dir.resolve("gateway.log");
    Path catalog = Files.writeString(dir.resolve("catalog.json"),
        "{\"products\":[{\"productCode\":\"p\",\"type\":\"SAAS\",\"dimensions\":[\"calls\"]}]}");
    Map<String, String> env = Map.of("METERBRIDGE_INGEST_TOKEN", "ingest-token-0123456789",
        "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "us-east-1");
    GatewayProcess gateway = GatewayProcess.startCommand("gateway", env, log, "--data", dir.resolve("gw").toString(),
        "--upstream-endpoint", "http://127.0.0.1:9", "--catalog", catalog.toString());

    int exit = gateway.stop();

    assertThat(exit).as("exit code; log:%n%s", Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("Meterbridge gateway stopped.");
  }

  @Test
  void noCommand_printsTheUsageAndExitsWith2() {
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of(), dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute();

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("meterbridge: which command?", "Usage: meterbridge", "serve", "gateway",
        "Exit codes: 0 success");
    assertThat(out.toString()).isEmpty();
  }
}

package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.gateway.Gateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayCommandTest {
  static final String TOKEN = "ingest-token-0123456789";

  @TempDir Path dir;
  final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void shutdown() {
    threads.shutdownNow();
  }

  /** One run of the command line. */
  final class Run {
    final CommandLine cli;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final GatewayCommand gateway;

    Run(Map<String, String> env) {
      cli = MeterbridgeCommand.commandLine(env, dir);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      gateway = (GatewayCommand) cli.getSubcommands().get("gateway").getCommandSpec().userObject();
    }

    Future<Integer> start(String... args) throws Exception {
      String[] all = Stream.concat(Stream.of("gateway", "--port", "0", "--data", dir.resolve("data").toString()),
          Arrays.stream(args)).toArray(String[]::new);
      Future<Integer> exit = threads.submit(() -> cli.execute(all));
      for (int i = 0; i < 600 && !gateway.awaitStarted(Duration.ofMillis(100)); i++) {
        if (exit.isDone()) {
          throw new AssertionError("gateway ended with " + exit.get() + ": " + err);
        }
      }
      return exit;
    }

    int stop(Future<Integer> exit) throws Exception {
      gateway.stop();
      return exit.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void gateway_withSettingsFromEnvironmentAndFile_servesIngestAndStopsCleanly() throws Exception {
    Path catalog = dir.resolve("catalog.json");
    Files.writeString(catalog, "{\"products\":[{\"productCode\":\"prod-a\",\"type\":\"SAAS\",\"dimensions\":[\"calls\"],"
        + "\"seller\":\"ignored\"}],\"accounts\":[]}");
    Path config = dir.resolve("gateway.properties");
    Files.writeString(config, "catalog=catalog.json\nquota=5\nupstream-endpoint=http://127.0.0.1:1\n");
    Run run = new Run(Map.of("METERBRIDGE_INGEST_TOKEN", TOKEN, "METERBRIDGE_CONFIG", config.toString()));
    Future<Integer> exit = run.start();
    Gateway gateway = run.gateway.running().orElseThrow();

    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.port().orElseThrow() + "/v1/usage"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[{\"id\":\"1\",\"productCode\":\"prod-a\","
            + "\"customerAWSAccountId\":\"222222222222\",\"dimension\":\"calls\",\"quantity\":1,\"timestamp\":\""
            + Instant.now() + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.body()).isEqualTo("{\"results\":[{\"id\":\"1\",\"status\":\"accepted\"}]}");
    assertThat(gateway.status().quotaPerSecond()).isEqualTo(5.0);
    assertThat(run.out.toString()).contains("Meterbridge gateway ", "listening on http://127.0.0.1:",
        "upstream        http://127.0.0.1:1", "catalog         [prod-a (SAAS: calls)]", "Press Ctrl-C to stop.");
    assertThat(run.err.toString()).doesNotContain("warning");
    assertThat(run.stop(exit)).isZero();
    assertThat(run.out.toString()).endsWith("Meterbridge gateway stopped." + System.lineSeparator());
  }

  @Test
  void gateway_ingestTokenOnTheCommandLine_isAcceptedWithAWarning() throws Exception {
    Run run = new Run(Map.of());
    Future<Integer> exit = run.start("--ingest-token", TOKEN, "--upstream-endpoint", "http://127.0.0.1:1");

    assertThat(run.err.toString()).contains("--ingest-token is visible to every user of this machine (ps);"
        + " give it through METERBRIDGE_INGEST_TOKEN or the config file");
    assertThat(run.stop(exit)).isZero();
  }

  @Test
  void gateway_invalidSettings_exitWith2AndNameThemWithTheirSource() {
    Run run = new Run(Map.of("METERBRIDGE_QUOTA", "lots"));

    int exit = run.cli.execute("gateway", "--window", "12h", "--close-delay", "soon", "--data",
        dir.resolve("data").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(run.err.toString()).contains("meterbridge gateway: invalid configuration",
        "quota: 'lots' is not a number of calls a second (from environment variable METERBRIDGE_QUOTA)",
        "window: '12h' is not an upstream window: use 24h (AWS's current window) or 6h (legacy) (from --window)",
        "close-delay: 'soon' is not a duration",
        "ingest-token: required: the bearer token of POST /v1/usage, 16 characters or more; give it through"
            + " METERBRIDGE_INGEST_TOKEN or the config file");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void gateway_unreadableCatalog_exitsWith1() {
    Run run = new Run(Map.of("METERBRIDGE_INGEST_TOKEN", TOKEN));

    int exit = run.cli.execute("gateway", "--port", "0", "--data", dir.resolve("data").toString(), "--catalog",
        dir.resolve("missing.json").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(run.err.toString()).contains("meterbridge gateway: could not start: catalog file ")
        .contains("missing.json cannot be read");
  }

  @Test
  void gateway_help_listsEverySetting() {
    Run run = new Run(Map.of());

    assertThat(run.cli.execute("gateway", "--help")).isZero();
    for (String setting : GatewaySettings.NAMES) {
      assertThat(run.out.toString()).contains("--" + setting);
    }
  }
}

package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin token of {@code serve} and {@code gateway}: from a file, or from the command line with a warning. */
class AdminTokenFlagsTest {
  static final String TOKEN = "file-admin-token-0123456789";

  @TempDir
  Path dir;

  final ExecutorService thread = Executors.newSingleThreadExecutor();
  final HttpClient http = HttpClient.newHttpClient();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  CommandLine cli() {
    return cli(Map.of());
  }

  CommandLine cli(Map<String, String> env) {
    CommandLine c = MeterbridgeCommand.commandLine(env, dir);
    c.setOut(new PrintWriter(out, true));
    c.setErr(new PrintWriter(err, true));
    return c;
  }

  @AfterEach
  void shutdown() {
    thread.shutdownNow();
  }

  int adminClockStatus(URI endpoint, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(endpoint.resolve("/admin/clock")).header("Authorization", "Bearer " + token)
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void serve_adminTokenFile_isTrimmedAndServesTheAdminApi_withoutAWarning() throws Exception {
    Files.writeString(dir.resolve("admin.token"), "  " + TOKEN + "\n");
    CommandLine c = cli();
    ServeCommand serve = (ServeCommand) c.getSubcommands().get("serve").getCommandSpec().userObject();
    Future<Integer> exit = thread.submit(() -> c.execute("serve", "--port", "0", "--data", "data",
        "--admin-token-file", "admin.token"));
    assertThat(serve.awaitStarted(Duration.ofSeconds(60))).as("started; stderr: %s", err).isTrue();

    URI endpoint = serve.running().orElseThrow().endpoint();
    assertThat(adminClockStatus(endpoint, TOKEN)).isEqualTo(200);
    assertThat(err.toString()).doesNotContain("warning");
    serve.stop();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void serve_adminTokenOnTheCommandLine_worksWithAWarningNamingTheVariableAndTheFile() throws Exception {
    CommandLine c = cli();
    ServeCommand serve = (ServeCommand) c.getSubcommands().get("serve").getCommandSpec().userObject();
    Future<Integer> exit = thread.submit(() -> c.execute("serve", "--port", "0", "--data", "data",
        "--admin-token", TOKEN));
    assertThat(serve.awaitStarted(Duration.ofSeconds(60))).as("started; stderr: %s", err).isTrue();

    assertThat(adminClockStatus(serve.running().orElseThrow().endpoint(), TOKEN)).isEqualTo(200);
    assertThat(err.toString()).contains("meterbridge serve: warning: --admin-token is visible to every user of this"
        + " machine (ps); give it through the variable METERBRIDGE_ADMIN_TOKEN or --admin-token-file FILE instead");
    serve.stop();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void serve_emptyTokenFile_exitsWith2AndSaysSo() throws Exception {
    Files.writeString(dir.resolve("admin.token"), "\n");

    int exit = cli().execute("serve", "--port", "0", "--data", "data", "--admin-token-file", "admin.token");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("meterbridge serve: --admin-token-file: " + dir.resolve("admin.token")
        + " is empty; write the token into it");
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  @Test
  void serve_bothTokenFlags_exitsWith2() {
    int exit = cli().execute("serve", "--admin-token", TOKEN, "--admin-token-file", "admin.token");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("give the admin token once: --admin-token or --admin-token-file, not both");
  }

  @Test
  void gateway_missingTokenFile_exitsWith2AndNamesTheFile() {
    int exit = cli().execute("gateway", "--port", "0", "--data", "data", "--admin-token-file", "missing.token");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("meterbridge gateway: --admin-token-file: cannot read "
        + dir.resolve("missing.token") + " (NoSuchFileException");
  }

  @Test
  void gateway_adminTokenFile_servesTheAdminApi_andTheFlagWarns() throws Exception {
    Files.writeString(dir.resolve("admin.token"), TOKEN + "\n");
    CommandLine c = cli(Map.of("METERBRIDGE_INGEST_TOKEN", "ingest-token-0123456789"));
    GatewayCommand gateway = (GatewayCommand) c.getSubcommands().get("gateway").getCommandSpec().userObject();
    Future<Integer> exit = thread.submit(() -> c.execute("gateway", "--port", "0", "--data", "data",
        "--upstream-endpoint", "http://127.0.0.1:1", "--admin-token-file", "admin.token"));
    assertThat(gateway.awaitStarted(Duration.ofSeconds(60))).as("started; stderr: %s", err).isTrue();

    URI endpoint = URI.create("http://127.0.0.1:" + gateway.running().orElseThrow().port().orElseThrow());
    assertThat(adminClockStatus(endpoint, TOKEN)).isEqualTo(200);
    assertThat(err.toString()).doesNotContain("warning");
    gateway.stop();
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();

    int second = cli().execute("gateway", "--admin-token", TOKEN, "--port", "none");
    assertThat(second).isEqualTo(2);
    assertThat(err.toString()).contains("meterbridge gateway: warning: --admin-token is visible");
  }
}

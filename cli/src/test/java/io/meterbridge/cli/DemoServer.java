package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code meterbridge serve} on a free port with the demo catalog, an admin token and unchecked
 * signatures (so tests meter with plain HTTP requests, as the demo seller), run in a thread.
 */
final class DemoServer implements AutoCloseable {
  static final String TOKEN = "cli-test-admin-token-0123456789";

  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final ServeCommand serve;
  private final Future<Integer> exit;
  private final StringWriter err = new StringWriter();
  private final HttpClient http = HttpClient.newHttpClient();

  DemoServer(Path dir) throws Exception {
    var cli = MeterbridgeCommand.commandLine(Map.of(), dir);
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    serve = (ServeCommand) cli.getSubcommands().get("serve").getCommandSpec().userObject();
    exit = thread.submit(() -> cli.execute("serve", "--port", "0", "--data", dir.resolve("data").toString(),
        "--insecure-any-credentials", "--admin-token", TOKEN, "--throttling", "off"));
    for (int i = 0; i < 600 && !serve.awaitStarted(Duration.ofMillis(100)); i++) {
      if (exit.isDone()) {
        throw new AssertionError("serve ended with " + exit.get() + ": " + err);
      }
    }
    assertThat(serve.running()).as("serve started; stderr: %s", err).isPresent();
  }

  URI endpoint() {
    return serve.running().orElseThrow().endpoint();
  }

  /** Meters one record of the demo SaaS product for the demo buyer, as the demo seller; asserts Success. */
  void meter(String dimension, int quantity, Instant at) throws Exception {
    String body = "{\"ProductCode\":\"" + DemoCatalog.SAAS_PRODUCT + "\",\"UsageRecords\":[{\"Timestamp\":"
        + at.getEpochSecond() + ",\"CustomerAWSAccountId\":\"" + DemoCatalog.BUYER_ACCOUNT_ID + "\",\"Dimension\":\""
        + dimension + "\",\"Quantity\":" + quantity + "}]}";
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint())
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "AWSMPMeteringService.BatchMeterUsage")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"Status\":\"Success\"");
  }

  @Override
  public void close() throws Exception {
    serve.stop();
    exit.get(30, TimeUnit.SECONDS);
    thread.shutdownNow();
  }
}

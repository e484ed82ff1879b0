package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meterbridge send} through {@code execute()} against a running demo server, with our client. */
class SendCommandTest {
  static final String SAAS = DemoCatalog.SAAS_PRODUCT;
  static final String BUYER = DemoCatalog.BUYER_ACCOUNT_ID;
  static final String STRANGER = "999900001111";

  @TempDir
  static Path dir;
  static DemoServer server;
  static Instant hour;

  @BeforeAll
  static void start() throws Exception {
    server = new DemoServer(dir);
    hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    // A usage record counts once per customer, dimension and hour: more than a batch of records needs more customers.
    String since = hour.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS).toString();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 60; i++) {
      admin(http, "/admin/accounts", "{\"accountId\":\"" + customer(i) + "\"}");
      admin(http, "/admin/subscriptions", "{\"productCode\":\"" + SAAS + "\",\"customerAWSAccountId\":\"" + customer(i)
          + "\",\"since\":\"" + since + "\"}");
    }
  }

  static String customer(int i) {
    return String.format("7000000000%02d", i);
  }

  static void admin(HttpClient http, String path, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
        .header("Authorization", "Bearer " + DemoServer.TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Result(int exit, String out, String err) {}

  static Result send(String... args) {
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of("AWS_ACCESS_KEY_ID", DemoCatalog.SELLER_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY", DemoCatalog.SELLER_SECRET_ACCESS_KEY), dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("send", "--endpoint", server.endpoint().toString(), "--region", "us-east-1"));
    all.addAll(List.of(args));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Result(exit, out.toString(), err.toString());
  }

  /** Five past the hour {@code hoursBack} hours ago: tests use distinct hours so that none sends another's duplicates. */
  static String at(int hoursBack) {
    return hour.minus(hoursBack, ChronoUnit.HOURS).plus(5, ChronoUnit.MINUTES).toString();
  }

  @Test
  void send_csvOfSixtyRecords_sendsThemAllInBatchesAndExitsZero() throws Exception {
    StringBuilder csv = new StringBuilder("productCode,customerAWSAccountId,dimension,quantity,timestamp\n");
    for (int i = 0; i < 60; i++) {
      csv.append(SAAS).append(',').append(customer(i)).append(",users,").append(i + 1).append(',').append(at(1))
          .append('\n');
    }
    Files.writeString(dir.resolve("usage.csv"), csv);

    Result result = send("usage.csv", "--quiet");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("send: 60 records from usage.csv to " + server.endpoint())
        .containsPattern("Success +60").containsPattern("CustomerNotSubscribed +0").containsPattern("invalid +0");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void send_jsonLines_withCustomerIdentifierAndCounterLines() throws Exception {
    Files.writeString(dir.resolve("usage.jsonl"), ""
        + "{\"productCode\":\"" + SAAS + "\",\"customerIdentifier\":\"" + DemoCatalog.CUSTOMER_IDENTIFIER
        + "\",\"dimension\":\"storage_gb\",\"quantity\":7,\"timestamp\":\"" + at(1) + "\"}\n"
        + "\n"
        + "{\"productCode\":\"" + SAAS + "\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"dimension\":\"storage_gb\",\"quantity\":\"8\",\"timestamp\":\"" + at(2) + "\"}\n");

    Result result = send("usage.jsonl");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).containsPattern("Success +2");
    assertThat(result.err()).as("no terminal in tests: counter lines").contains("send: 2/2 records");
  }

  @Test
  void send_customerNotSubscribed_exitsOneAndWritesTheFailedFile() throws Exception {
    Files.writeString(dir.resolve("mixed.csv"), "productCode,customerAWSAccountId,dimension,quantity,timestamp\n"
        + SAAS + "," + BUYER + ",users,5," + at(2) + "\n"
        + SAAS + "," + STRANGER + ",users,6," + at(2) + "\n");

    Result result = send("mixed.csv", "--failed", "failed.csv", "-q");

    assertThat(result.exit()).as(result.err()).isEqualTo(1);
    assertThat(result.out()).containsPattern("Success +1").containsPattern("CustomerNotSubscribed +1");
    assertThat(result.err()).contains("send: wrote the 1 record not accepted to " + dir.resolve("failed.csv"));
    assertThat(Files.readString(dir.resolve("failed.csv"))).isEqualTo(
        "productCode,customerAWSAccountId,customerIdentifier,licenseArn,dimension,quantity,timestamp,status,message\n"
            + SAAS + "," + STRANGER + ",,,users,6," + at(2) + ",CustomerNotSubscribed,\n");

    Result again = send("failed.csv", "-q");
    assertThat(again.exit()).as("the failed file reads as input: " + again.err()).isEqualTo(1);
    assertThat(again.out()).contains("send: 1 record from failed.csv").containsPattern("CustomerNotSubscribed +1");
  }

  @Test
  void send_anotherQuantityForAnHourAlreadyMetered_isDuplicateAndTheFailedFileIsJsonLines() throws Exception {
    Files.writeString(dir.resolve("first.jsonl"), record(9));
    Files.writeString(dir.resolve("second.jsonl"), record(10));
    assertThat(send("first.jsonl", "-q").exit()).isZero();
    assertThat(send("first.jsonl", "-q").exit()).as("the same record again is accepted again").isZero();

    Result again = send("second.jsonl", "-q", "--failed", "again.jsonl");

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.out()).containsPattern("DuplicateRecord +1");
    assertThat(Files.readString(dir.resolve("again.jsonl"))).isEqualTo(record(10).replace("}\n",
        ",\"status\":\"DuplicateRecord\"}\n"));
  }

  private static String record(int quantity) {
    return "{\"productCode\":\"" + SAAS + "\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"dimension\":\"users\",\"quantity\":" + quantity + ",\"timestamp\":\"" + at(3) + "\"}\n";
  }

  @Test
  void send_unprocessedRecords_areSentAgainUntilAccepted() throws Exception {
    Files.writeString(dir.resolve("retried.csv"), csv(0, 30, "storage_gb"));
    HttpClient http = HttpClient.newHttpClient();
    admin(http, "/admin/faults", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"unprocessed\",\"count\":2}]}");
    try {
      Result result = send("retried.csv", "-q");

      assertThat(result.exit()).as(result.err()).isZero();
      assertThat(result.out()).containsPattern("Success +30").containsPattern("unprocessed +0");
      HttpResponse<String> faults = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/admin/faults"))
          .header("Authorization", "Bearer " + DemoServer.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(faults.body()).contains("\"fired\":2");
    } finally {
      http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/admin/faults"))
          .header("Authorization", "Bearer " + DemoServer.TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void send_stillUnprocessedAfterMaxAttempts_exitsOneWithThemInTheFailedFile() throws Exception {
    Files.writeString(dir.resolve("stuck.csv"), csv(30, 31, "storage_gb"));
    HttpClient http = HttpClient.newHttpClient();
    admin(http, "/admin/faults", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"unprocessed\",\"count\":5}]}");
    try {
      Result result = send("stuck.csv", "-q", "--max-attempts", "2", "--failed", "stuck-failed.csv");

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.out()).containsPattern("Success +0").containsPattern("unprocessed +1");
      assertThat(Files.readString(dir.resolve("stuck-failed.csv")))
          .endsWith(",unprocessed,still unprocessed after 2 calls\n");
    } finally {
      http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/admin/faults"))
          .header("Authorization", "Bearer " + DemoServer.TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** CSV of one record for each of the subscribed customers {@code from} to {@code to} (excluded), an hour ago. */
  static String csv(int from, int to, String dimension) {
    StringBuilder csv = new StringBuilder("productCode,customerAWSAccountId,dimension,quantity,timestamp\n");
    for (int i = from; i < to; i++) {
      csv.append(SAAS).append(',').append(customer(i)).append(',').append(dimension).append(",1,").append(at(1))
          .append('\n');
    }
    return csv.toString();
  }

  @Test
  void send_anUnknownDimension_isInvalidWithTheServiceMessage() throws Exception {
    Files.writeString(dir.resolve("dimension.csv"), "productCode,customerAWSAccountId,dimension,quantity,timestamp\n"
        + SAAS + "," + BUYER + ",no_such_dimension,1," + at(5) + "\n");

    Result result = send("dimension.csv", "-q", "--failed", "dimension-failed.csv");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).containsPattern("invalid +1");
    assertThat(Files.readString(dir.resolve("dimension-failed.csv"))).contains(",invalid,\"InvalidUsageDimensionException: ");
  }

  @Test
  void send_malformedLines_exitTwoWithTheirNumbersAndSendNothing() throws Exception {
    Files.writeString(dir.resolve("bad.csv"), "productCode,customerAWSAccountId,dimension,quantity,timestamp\n"
        + SAAS + "," + BUYER + ",users,1," + at(4) + "\n"
        + SAAS + "," + BUYER + ",users,lots," + at(4) + "\n"
        + SAAS + "," + BUYER + ",users,1,yesterday\n"
        + SAAS + "," + BUYER + ",users\n");

    Result result = send("bad.csv");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains(
        "send: bad.csv line 3: quantity 'lots' is not a whole number",
        "send: bad.csv line 4: timestamp 'yesterday' is not an ISO-8601 instant such as 2026-03-01T10:00:00Z",
        "send: bad.csv line 5: 3 values for the header's 5 columns",
        "send: nothing was sent; fix the lines above and run again");
    assertThat(result.out()).isEmpty();
    // Line 2 was valid but not sent: sending it now succeeds rather than being a duplicate.
    Files.writeString(dir.resolve("good.csv"), "productCode,customerAWSAccountId,dimension,quantity,timestamp\n"
        + SAAS + "," + BUYER + ",users,1," + at(4) + "\n");
    assertThat(send("good.csv", "-q").exit()).isZero();
  }

  @Test
  void send_malformedJsonLine_exitsTwoWithItsNumber() throws Exception {
    Files.writeString(dir.resolve("bad.jsonl"), "{\"productCode\":\"" + SAAS + "\",\"customerAWSAccountId\":\"" + BUYER
        + "\",\"dimension\":\"users\",\"quantity\":1,\"timestamp\":\"" + at(4) + "\"}\n"
        + "{\"productCode\": \"" + SAAS + "\",\n");

    Result result = send("bad.jsonl");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("send: bad.jsonl line 2: not valid JSON");
  }

  @Test
  void send_noSuchFileOrBadFormat_isAUsageError() {
    assertThat(send("missing.csv").err()).contains("send: no file " + dir.resolve("missing.csv"));
    assertThat(send("missing.csv").exit()).isEqualTo(2);
    assertThat(send("missing.csv", "--format", "xml").err()).contains("send: --format is csv or jsonl, not 'xml'");
  }

  @Test
  void send_toAnEndpointNoOneListensOn_stopsAtTheFirstCallAndKeepsEveryRecord() throws Exception {
    Files.writeString(dir.resolve("nowhere.csv"), csv(40, 60, "storage_gb") + SAAS.replace("saas", "ami") + ","
        + BUYER + ",vcpu_hours,1," + at(1) + "\n");
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY", "secret"), dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("send", "nowhere.csv", "--endpoint", "http://127.0.0.1:1", "--region", "us-east-1", "-q",
        "--failed", "nowhere-failed.csv");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).containsPattern("unprocessed +21");
    assertThat(err.toString()).contains("send: stopped: ");
    List<String> failed = Files.readAllLines(dir.resolve("nowhere-failed.csv"));
    assertThat(failed).hasSize(22);
    assertThat(failed.get(21)).contains(",unprocessed,not sent after the error above");
  }

  @Test
  void help_namesTheFieldsAndTheExitCodes() {
    CommandLine cli = MeterbridgeCommand.commandLine(Map.of(), dir);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));

    assertThat(cli.execute("send", "--help")).isZero();
    assertThat(out.toString()).contains("customerAWSAccountId", "--failed=FILE", "--endpoint=URL",
        "Exit codes: 0 every record was accepted");
  }
}

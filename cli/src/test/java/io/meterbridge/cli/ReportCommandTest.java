package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meterbridge report} through {@code execute()} against a running server. */
class ReportCommandTest {
  @TempDir
  static Path dir;
  static DemoServer server;
  static Instant recent;

  @BeforeAll
  static void start() throws Exception {
    server = new DemoServer(dir);
    recent = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    server.meter("users", 3, recent);
    server.meter("storage_gb", 40, recent.minus(1, ChronoUnit.HOURS));
    server.meter("users", 4, recent.minus(2, ChronoUnit.HOURS));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Result(int exit, String out, String err) {}

  static Result run(Map<String, String> env, String... args) {
    CommandLine cli = MeterbridgeCommand.commandLine(env, dir);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  static Map<String, String> token() {
    return Map.of(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN);
  }

  @Test
  void report_csvToStandardOutput_sumsPerCustomerAndDimension() {
    Result result = run(token(), "report", "--endpoint", server.endpoint().toString(), "--group-by",
        "customer,dimension", "--format", "csv", "--product-code", DemoCatalog.SAAS_PRODUCT);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("customer_account_id,dimension_key,usage_quantity,record_count\r\n"
        + DemoCatalog.BUYER_ACCOUNT_ID + ",storage_gb,40,1\r\n"
        + DemoCatalog.BUYER_ACCOUNT_ID + ",users,7,2\r\n");
  }

  @Test
  void report_jsonToAFile_withTheTokenFromAFile() throws Exception {
    Files.writeString(dir.resolve("token"), DemoServer.TOKEN + "\n");
    String today = LocalDate.ofInstant(recent, ZoneOffset.UTC).toString();

    Result result = run(Map.of(), "report", "--endpoint", server.endpoint().toString(), "--admin-token-file", "token",
        "--group-by", "dimension,hour", "--dimension", "users", "--from", recent.truncatedTo(ChronoUnit.HOURS).toString(),
        "--out", "users.json");

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("report: wrote ", " bytes to " + dir.resolve("users.json"));
    assertThat(Files.readString(dir.resolve("users.json"))).startsWith("{\"from\":\"" + today.substring(0, 4))
        .contains("\"groupBy\":[\"dimension\",\"hour\"]", "{\"usageHour\":\""
            + recent.truncatedTo(ChronoUnit.HOURS) + "\",\"dimension\":\"users\",\"quantity\":3,\"records\":1}");
    assertThat(dir.resolve("users.json.partial")).doesNotExist();
  }

  @Test
  void report_badOptions_showTheServersMessageAndExit1() {
    Result result = run(token(), "report", "--endpoint", server.endpoint().toString(), "--group-by", "week");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("report: the server answered 400: groupBy: 'week' is not one of product,");
  }

  @Test
  void report_withoutToken_isAUsageError() {
    Result result = run(Map.of(), "report", "--endpoint", server.endpoint().toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("No admin token: set METERBRIDGE_ADMIN_TOKEN or give --admin-token-file FILE");
  }

  @Test
  void report_wrongToken_isRefused() {
    Result result = run(Map.of(AdminEndpoint.TOKEN_VARIABLE, "not-the-token-0123456789"), "report", "--endpoint",
        server.endpoint().toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("report: the server answered 401: The admin token is not valid");
  }

  @Test
  void report_noServer_saysSo() {
    Result result = run(token(), "report", "--endpoint", "http://127.0.0.1:1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("report: cannot connect to http://127.0.0.1:1 (is the server running?");
  }

  @Test
  void report_badEndpoint_isAUsageError() {
    Result result = run(token(), "report", "--endpoint", "127.0.0.1:8080");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--endpoint: '127.0.0.1:8080' is not an http(s) URL");
  }
}

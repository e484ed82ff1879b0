package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.Gateway;
import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meterbridge reconcile} through {@code execute()} against a running server and a gateway,
 * with feed files written here in AWS's Daily Usage data feed format.
 */
class ReconcileCommandTest {
  static final String INGEST_TOKEN = "cli-test-ingest-token-0123456789";
  static final String HEADER = "\"usage_feed_id\",\"usage_date\",\"product_id\",\"agreement_id\",\"end_user_account_id\","
      + "\"payer_account_id\",\"region\",\"dimension_key\",\"usage_unit\",\"usage_quantity\",\"pricing_currency\","
      + "\"estimated_revenue_in_pricing_currency\",\"usage_rate_per_unit_in_pricing_currency\",\"offer_id\","
      + "\"valid_from\",\"valid_to\",\"insert_date\",\"update_date\",\"delete_date\"";

  @TempDir
  static Path dir;
  static DemoServer server;
  static Gateway gateway;
  static String day;

  @BeforeAll
  static void start() throws Exception {
    server = new DemoServer(dir);
    Instant recent = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    day = LocalDate.ofInstant(recent, ZoneOffset.UTC).toString();
    server.meter("users", 10, recent);
    server.meter("storage_gb", 40, recent);
    gateway = Gateway.builder().dataDir(dir.resolve("gateway"))
        .product(CatalogProduct.saas(DemoCatalog.SAAS_PRODUCT, "users", "storage_gb"))
        .forwarding(false).port(0).ingestToken(INGEST_TOKEN).start();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
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

  static Map<String, String> tokens() {
    Map<String, String> env = new HashMap<>();
    env.put(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN);
    env.put(ReconcileCommand.INGEST_TOKEN_VARIABLE, INGEST_TOKEN);
    return env;
  }

  /** A feed row of the demo product (AWS's id for it mapped with --product), priced at 0.25 USD. */
  static String row(int n, String dimension, String quantity) {
    return "\"uf-" + n + "\",\"" + day + "\",\"prod-demo7x\",\"agmt-demo\",\"salt-e\",\"salt-p\",\"us-east-1\",\""
        + dimension + "\",\"Units\",\"" + quantity + "\",\"USD\",\"1.00\",\"0.25\",\"offer-1\",\"" + day
        + " 00:00:00\",\"\",\"" + day + " 04:00:00\",\"" + day + " 04:00:00\",\"\"";
  }

  static Path feed(String name, String... rows) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n");
    return file;
  }

  @Test
  void reconcile_differences_draftAnAdjustmentAndTopUpTheGateway() throws Exception {
    // AWS shows 12 users (we sent 10: over-billed by 2) and 38 storage_gb (we sent 40: 2 missing).
    feed("differs.csv", row(1, "users", "12.00"), row(2, "storage_gb", "38.00"));
    String[] args = {"reconcile", "--endpoint", server.endpoint().toString(), "--feed", "differs.csv",
        "--product", "prod-demo7x=" + DemoCatalog.SAAS_PRODUCT, "--out", "result.json", "--top-ups", "top-ups.json",
        "--gateway", "http://127.0.0.1:" + gateway.port().orElseThrow()};

    Result first = run(tokens(), args);

    assertThat(first.exit()).as(first.err()).isEqualTo(ReconcileCommand.DIFFERENCES);
    assertThat(first.err()).contains("reconcile: Compared 2 day/product/region/dimension sums of " + day
        + " (2 feed rows): 0 match, 2 differ: 1 over-billed (adjustment drafts), 1 under-billed to top up",
        "reconcile: posted 1 top-up event(s) to http://127.0.0.1:" + gateway.port().orElseThrow()
            + "/v1/usage: {accepted=1}");
    String result = Files.readString(dir.resolve("result.json"));
    assertThat(result).contains("\"kind\":\"quantity-differs\",\"billing\":\"over\"",
        "\"agreementId\":\"agmt-demo\",\"originalInvoiceId\":\"\",\"adjustmentAmount\":\"0.50\","
            + "\"currencyCode\":\"USD\",\"adjustmentReasonCode\":\"INCORRECT_METERING\"",
        "\"kind\":\"quantity-differs\",\"billing\":\"under\"");
    String events = Files.readString(dir.resolve("top-ups.json"));
    Matcher id = Pattern.compile("\"id\":\"(reconcile-[^\"]+)\"").matcher(events);
    assertThat(id.find()).as(events).isTrue();
    assertThat(events).contains("\"productCode\":\"" + DemoCatalog.SAAS_PRODUCT + "\",\"customerAWSAccountId\":\""
        + DemoCatalog.BUYER_ACCOUNT_ID + "\"", "\"dimension\":\"storage_gb\",\"quantity\":2,");
    assertThat(gateway.event(id.group(1), Optional.of(DemoCatalog.SAAS_PRODUCT))).isPresent();

    // Run again: the same top-up has the same id, which the gateway takes as a duplicate.
    Result second = run(tokens(), args);
    assertThat(second.exit()).isEqualTo(ReconcileCommand.DIFFERENCES);
    assertThat(second.err()).contains("/v1/usage: {duplicate=1}");
  }

  @Test
  void reconcile_matchingFeed_exitsZeroAndPrintsTheResult() throws Exception {
    feed("matches.csv", row(1, "users", "6.00"), row(2, "users", "4.00"), row(3, "storage_gb", "40.01"));

    Result result = run(tokens(), "reconcile", "--endpoint", server.endpoint().toString(), "--feed", "matches.csv",
        "--product", "prod-demo7x=" + DemoCatalog.SAAS_PRODUCT);

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("{\"summary\":\"Compared 2 ").contains("\"matched\":2", "\"differences\":[]");
  }

  @Test
  void reconcile_malformedFeed_namesTheLinesAndExits1() throws Exception {
    feed("bad.csv", row(1, "users", "many"), row(2, "", "1"));

    Result result = run(tokens(), "reconcile", "--endpoint", server.endpoint().toString(), "--feed", "bad.csv");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("is not a Daily Usage data feed file as AWS delivers it:",
        "  line 2: usage_quantity: 'many' is not a number such as 12.50", "  line 3: dimension_key is empty");
  }

  @Test
  void reconcile_noFeedFile_exits1() {
    Result result = run(tokens(), "reconcile", "--endpoint", server.endpoint().toString(), "--feed", "none.csv");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("reconcile: no feed file " + dir.resolve("none.csv"));
  }

  @Test
  void reconcile_gatewayWithoutIngestToken_isAUsageError() throws Exception {
    feed("any.csv", row(1, "users", "10"));

    Result result = run(Map.of(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN), "reconcile", "--endpoint",
        server.endpoint().toString(), "--feed", "any.csv", "--gateway", "http://127.0.0.1:1");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--gateway needs the gateway's ingest token: set METERBRIDGE_INGEST_TOKEN");
  }

  @Test
  void reconcile_badMapping_isAUsageError() {
    Result result = run(tokens(), "reconcile", "--feed", "any.csv", "--product", "prod-x");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("prod-x");
  }
}

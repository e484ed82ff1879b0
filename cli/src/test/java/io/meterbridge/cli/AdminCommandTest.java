package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meterbridge admin ...} through {@code execute()} against a running server. */
class AdminCommandTest {
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
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void resetClockAndFaults() {
    assertThat(admin("clock", "reset").exit()).isZero();
    assertThat(admin("faults", "clear").exit()).isZero();
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

  /** {@code meterbridge admin ARGS --endpoint <the server>} with the token in the variable. */
  static Result admin(String... args) {
    List<String> all = new ArrayList<>(List.of("admin"));
    all.addAll(List.of(args));
    all.add("--endpoint");
    all.add(server.endpoint().toString());
    return run(Map.of(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN), all.toArray(String[]::new));
  }

  static Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  // --- clock

  @Test
  void clockShift_25h_movesTheServersClockAndShowPrintsIt() {
    Result shifted = admin("clock", "shift", "25h");

    assertThat(shifted.exit()).as(shifted.err()).isZero();
    assertThat(shifted.out()).contains("\"offset\" : \"PT25H\"", "\"offsetSeconds\" : 90000");

    Result shown = admin("clock", "show");
    assertThat(shown.exit()).isZero();
    assertThat(shown.out()).contains("\"offset\" : \"PT25H\"");
  }

  @Test
  void clockShift_negativeAndCompoundDurations() {
    assertThat(admin("clock", "shift", "-2h").out()).contains("\"offsetSeconds\" : -7200");
    assertThat(admin("clock", "shift", "1d30m").out()).contains("\"offsetSeconds\" : 81000");
    assertThat(admin("clock", "shift", "PT1M").out()).contains("\"offsetSeconds\" : 81060");
  }

  @Test
  void clockShift_unreadableDuration_isAUsageError() {
    Result result = admin("clock", "shift", "25x");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("DURATION: '25x' is not a duration such as 25h, 90m, 1d12h, -2h or PT25H");
  }

  @Test
  void clockSetAndReset() {
    // Half past: the clock keeps running, so "now" is within a moment of it, in the same hour.
    Instant at = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES);

    Result set = admin("clock", "set", at.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("\"now\" : \"" + at.toString().substring(0, 13));

    Result reset = admin("clock", "reset");
    assertThat(reset.exit()).isZero();
    assertThat(reset.out()).contains("\"offsetSeconds\" : 0");
  }

  @Test
  void clockSet_refusedByTheServer_printsItsMessageAndExits1() {
    Result result = admin("clock", "set", "2000-01-01T00:00:00Z");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("meterbridge admin clock set: the server answered 400: set: 2000-01-01T00:00:00Z is more than");
  }

  // --- faults

  @Test
  void faults_setListClear() throws Exception {
    Path plan = file("faults.json", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\",\"count\":2}],\"seed\":42}");

    Result set = admin("faults", "set", plan.getFileName().toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("\"kind\" : \"throttle\"", "\"seed\" : 42");

    Result list = admin("faults", "list");
    assertThat(list.out()).contains("\"operation\" : \"BatchMeterUsage\"", "\"remaining\" : 2");

    Result clear = admin("faults", "clear");
    assertThat(clear.exit()).isZero();
    assertThat(clear.out()).contains("\"rules\" : [ ]");
  }

  @Test
  void faultsSet_invalidPlan_showsEveryProblemAndExits1() throws Exception {
    file("bad-faults.json", "{\"rules\":[{\"operation\":\"*\",\"kind\":\"delay\",\"count\":1}]}");

    Result result = admin("faults", "set", "bad-faults.json");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("the server answered 400: rules[0].delayMs");
  }

  @Test
  void faultsSet_notJson_isAUsageErrorBeforeAnyCall() throws Exception {
    file("not-json.json", "rules: throttle");

    Result result = admin("faults", "set", "not-json.json");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("FILE: " + dir.resolve("not-json.json") + " is not JSON");
  }

  // --- records

  @Test
  void records_tableOfTheCustomersRecords() {
    Result result = admin("records", "--product", DemoCatalog.SAAS_PRODUCT, "--customer", DemoCatalog.BUYER_ACCOUNT_ID);

    assertThat(result.exit()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines.get(0)).startsWith("timestamp").contains("productCode", "customer", "dimension", "quantity");
    assertThat(lines).hasSize(3);
    // Storage order: as they were sent.
    assertThat(lines.get(1)).startsWith(recent.toString()).contains("users", " 3 ");
    assertThat(lines.get(2)).startsWith(recent.minus(1, ChronoUnit.HOURS).toString()).contains("storage_gb", "40");
  }

  @Test
  void records_json_limitAndFilters() {
    Result one = admin("records", "--json", "--limit", "1");
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.out()).contains("\"dimension\" : \"users\"", "\"nextCursor\"").doesNotContain("storage_gb");

    Result earlier = admin("records", "--json", "--to", recent.truncatedTo(ChronoUnit.HOURS).toString());
    assertThat(earlier.out()).contains("\"dimension\" : \"storage_gb\"").doesNotContain("\"users\"");

    Result nobody = admin("records", "--customer", "999988887777");
    assertThat(nobody.out().lines()).hasSize(1);

    Result meter = admin("records", "--kind", "meter");
    assertThat(meter.exit()).as(meter.err()).isZero();
    assertThat(meter.out()).startsWith("timestamp").contains("callerAccountId");
  }

  @Test
  void records_badKind_isAUsageError() {
    Result result = admin("records", "--kind", "tasks");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--kind: 'tasks' is not one of batch, meter");
  }

  // --- products

  @Test
  void products_addShowListAddDimensions() throws Exception {
    file("product.json", "{\"productCode\":\"cli-product\",\"seller\":\"" + DemoCatalog.SELLER_ACCOUNT_ID
        + "\",\"type\":\"CONTAINER\",\"dimensions\":[\"pods\"]}");

    Result added = admin("products", "add", "product.json");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("\"productCode\" : \"cli-product\"", "\"publicKeyVersions\" : [ 1 ]");

    Result dims = admin("products", "add-dimensions", "cli-product", "vcpu", "gpu");
    assertThat(dims.out()).contains("\"gpu\"", "\"pods\"", "\"vcpu\"");

    assertThat(admin("products", "show", "cli-product").out()).contains("\"type\" : \"CONTAINER\"");

    Result list = admin("products", "list");
    assertThat(list.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("productCode  "));
    assertThat(list.out()).contains("cli-product").containsPattern(DemoCatalog.SAAS_PRODUCT + " +"
        + DemoCatalog.SELLER_ACCOUNT_ID + " +SAAS +us-east-1 +storage_gb,users +-");
    assertThat(admin("products", "list", "--json").out()).startsWith("{").contains("\"products\" : [");
  }

  @Test
  void productsAdd_invalidProduct_showsTheServersProblems() throws Exception {
    file("bad-product.json", "{\"productCode\":\"x\",\"seller\":\"1234\",\"type\":\"VM\"}");

    Result result = admin("products", "add", "bad-product.json");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("400", "seller: '1234' is not a 12-digit AWS account id");
  }

  @Test
  void productsShow_unknown_is404() {
    Result result = admin("products", "show", "no-such-product");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("the server answered 404");
  }

  // --- customers, subscriptions, tokens, keys

  @Test
  void customers_addGeneratesAKeyAndListShowsTheAccount() throws Exception {
    file("account.json", "{\"accountId\":\"777788889999\",\"name\":\"CLI buyer\"}");

    Result added = admin("customers", "add", "account.json");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("\"generated\" : true", "\"secretAccessKey\"");

    assertThat(admin("customers", "list").out()).contains("777788889999  CLI buyer", DemoCatalog.BUYER_ACCOUNT_ID);
    assertThat(admin("customers", "show", "777788889999").out()).contains("\"name\" : \"CLI buyer\"");
  }

  @Test
  void subscriptions_addDeactivateActivateList() throws Exception {
    file("subscription.json", "{\"productCode\":\"" + DemoCatalog.AMI_PRODUCT + "\",\"customerAWSAccountId\":\"123412341234\"}");

    assertThat(admin("subscriptions", "add", "subscription.json").exit()).isZero();
    Result off = admin("subscriptions", "deactivate", DemoCatalog.AMI_PRODUCT, "123412341234");
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(off.out()).contains("\"active\" : false");
    assertThat(admin("subscriptions", "list", DemoCatalog.AMI_PRODUCT).out()).containsPattern("123412341234 +false");

    assertThat(admin("subscriptions", "activate", DemoCatalog.AMI_PRODUCT, "123412341234").out())
        .contains("\"active\" : true");
  }

  @Test
  void tokens_addWithTtlAndList() {
    Result added = admin("tokens", "add", "--product", DemoCatalog.SAAS_PRODUCT, "--customer",
        DemoCatalog.BUYER_ACCOUNT_ID, "--ttl", "30m");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("\"token\" : \"mbt-", "\"expiresAt\"");

    Result list = admin("tokens", "list", DemoCatalog.SAAS_PRODUCT);
    assertThat(list.out()).startsWith("token").contains("mbt-", "server time ");
  }

  @Test
  void keys_rotateAndList() throws Exception {
    file("keyed.json", "{\"productCode\":\"cli-keyed\",\"seller\":\"" + DemoCatalog.SELLER_ACCOUNT_ID
        + "\",\"type\":\"CONTAINER\"}");
    assertThat(admin("products", "add", "keyed.json").exit()).isZero();

    Result rotated = admin("keys", "rotate", "cli-keyed");
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("\"version\" : 2", "BEGIN PUBLIC KEY");

    List<String> lines = admin("keys", "list", "cli-keyed").out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("1        false");
    assertThat(lines.get(2)).startsWith("2        true").endsWith("-");
  }

  // --- usage, token, connection

  @Test
  void withoutToken_isAUsageError() {
    Result result = run(Map.of(), "admin", "clock", "show", "--endpoint", server.endpoint().toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("No admin token: set METERBRIDGE_ADMIN_TOKEN or give --admin-token-file FILE");
  }

  @Test
  void tokenFromAFile() throws Exception {
    file("admin-token", DemoServer.TOKEN + "\n");

    Result result = run(Map.of(), "admin", "clock", "show", "--endpoint", server.endpoint().toString(),
        "--admin-token-file", "admin-token");

    assertThat(result.exit()).as(result.err()).isZero();
  }

  @Test
  void wrongToken_isRefusedWithTheServersMessage() {
    Result result = run(Map.of(AdminEndpoint.TOKEN_VARIABLE, "not-the-token-0123456789"), "admin", "faults", "list",
        "--endpoint", server.endpoint().toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("meterbridge admin faults list: the server answered 401: The admin token is not valid");
  }

  @Test
  void noServer_saysSoAndExits1() {
    Result result = run(Map.of(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN), "admin", "clock", "show",
        "--endpoint", "http://127.0.0.1:1");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("cannot connect to http://127.0.0.1:1 (is the server running?");
  }

  @Test
  void groupWithoutCommand_isAUsageErrorListingItsCommands() {
    Result result = run(Map.of(), "admin", "clock");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("meterbridge admin clock: which command?", "shift", "reset");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] command : List.of(new String[] {"admin"}, new String[] {"admin", "clock", "shift"},
        new String[] {"admin", "faults", "set"}, new String[] {"admin", "records"},
        new String[] {"admin", "subscriptions", "deactivate"}, new String[] {"admin", "tokens", "add"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--help");
      Result result = run(Map.of(), args.toArray(String[]::new));
      assertThat(result.exit()).as(String.join(" ", command)).isZero();
      assertThat(result.out()).startsWith("Usage: meterbridge " + String.join(" ", command)).contains("Exit codes:");
    }
    assertThat(run(Map.of(), "admin", "clock", "show", "--version").out()).startsWith("meterbridge ");
  }
}

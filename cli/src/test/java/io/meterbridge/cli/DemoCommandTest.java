package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.seed.DemoCatalog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meterbridge demo} through {@code execute()} against a real demo server. */
class DemoCommandTest {
  @TempDir
  static Path dir;

  static DemoServer server;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = new DemoServer(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  int demo(Map<String, String> env, String... args) {
    CommandLine cli = MeterbridgeCommand.commandLine(env, dir);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  static Map<String, String> withToken() {
    return Map.of(AdminEndpoint.TOKEN_VARIABLE, DemoServer.TOKEN);
  }

  String admin(String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint().resolve(path))
        .header("Authorization", "Bearer " + DemoServer.TOKEN);
    return http.send(body == null ? request.build() : request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  HttpResponse<String> resolve(String token) throws Exception {
    return http.send(HttpRequest.newBuilder(server.endpoint())
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSMPMeteringService.ResolveCustomer")
        .POST(HttpRequest.BodyPublishers.ofString("{\"RegistrationToken\":\"" + token + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String printedToken(String output) {
    Matcher m = Pattern.compile("Registration token  (\\S+)").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  @Test
  void withTheAdminToken_printsTheCatalogAndCommandsTimestampedWithTheServersTime() throws Exception {
    String serverTime = admin("/admin/clock", null).replaceAll(".*\"now\":\"([^\"]+)\".*", "$1").substring(0, 16);

    int exit = demo(withToken(), "--endpoint", server.endpoint().toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains(
        "Demo catalog of " + server.endpoint() + " (region us-east-1)",
        DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY, DemoCatalog.BUYER_ACCESS_KEY_ID,
        "demo-saas (SaaS; dimensions users, storage_gb)", "customer identifier demo-customer-1",
        "Registration token  " + DemoCatalog.REGISTRATION_TOKEN + "   (ResolveCustomer; valid until ",
        "aws meteringmarketplace batch-meter-usage --endpoint-url " + server.endpoint() + " --region us-east-1",
        "--usage-records Timestamp=" + serverTime,
        "aws meteringmarketplace resolve-customer --endpoint-url " + server.endpoint()
            + " --region us-east-1 --registration-token " + DemoCatalog.REGISTRATION_TOKEN);
  }

  @Test
  void expiredDemoToken_isReplacedByANewOneThatResolves_andReusedOnTheNextRun() throws Exception {
    admin("/admin/clock", "{\"shiftSeconds\":" + 5 * 3600 + "}");
    try {
      assertThat(resolve(DemoCatalog.REGISTRATION_TOKEN).body()).contains("ExpiredTokenException",
          "'meterbridge demo' issues a new demo token");

      int exit = demo(withToken(), "--endpoint", server.endpoint().toString());

      assertThat(exit).as(err.toString()).isZero();
      String issued = printedToken(out.toString());
      assertThat(issued).isNotEqualTo(DemoCatalog.REGISTRATION_TOKEN);
      assertThat(out.toString()).contains("new: the demo's earlier registration tokens have expired",
          "--registration-token " + issued);
      HttpResponse<String> resolved = resolve(issued);
      assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
      assertThat(resolved.body()).contains("\"CustomerIdentifier\":\"demo-customer-1\"");

      out.getBuffer().setLength(0);
      assertThat(demo(withToken(), "--endpoint", server.endpoint().toString())).isZero();
      assertThat(printedToken(out.toString())).isEqualTo(issued);
      assertThat(out.toString()).doesNotContain("new:");
    } finally {
      admin("/admin/clock", "{\"reset\":true}");
    }
  }

  @Test
  void adminTokenFromAFile_works() throws Exception {
    Files.writeString(dir.resolve("admin.token"), DemoServer.TOKEN + "\n");

    int exit = demo(Map.of(), "--endpoint", server.endpoint().toString(), "--admin-token-file", "admin.token");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Registration token  ");
  }

  @Test
  void withoutAdminToken_printsThePublishedValues_andSaysWhatTheTokenWouldAdd() {
    int exit = demo(Map.of(), "--endpoint", server.endpoint().toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains(DemoCatalog.SELLER_ACCESS_KEY_ID,
        "--registration-token " + DemoCatalog.REGISTRATION_TOKEN,
        "give the admin token (METERBRIDGE_ADMIN_TOKEN or --admin-token-file)");
  }

  @Test
  void wrongAdminToken_exitsWith1AndSaysWhichTokenToGive() {
    int exit = demo(Map.of(AdminEndpoint.TOKEN_VARIABLE, "not-the-servers-token-0000"),
        "--endpoint", server.endpoint().toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("meterbridge demo: the server at " + server.endpoint()
        + " refused the admin token", "give the token it was started with");
  }

  @Test
  void noServer_exitsWith1AndSaysHowToStartOne() {
    int exit = demo(Map.of(), "--endpoint", "http://127.0.0.1:1");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("meterbridge demo: cannot connect to http://127.0.0.1:1: is the server"
        + " running? Start it with 'meterbridge serve'");
  }

  @Test
  void invalidEndpoint_exitsWith2() {
    assertThat(demo(Map.of(), "--endpoint", "ftp://x")).isEqualTo(2);
    assertThat(err.toString()).contains("--endpoint: 'ftp://x' is not an http(s) URL");
  }

  @Test
  void help_describesTheCommandAndItsExitCodes() {
    assertThat(demo(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("Usage: meterbridge demo", "--endpoint=URL", "--admin-token-file=FILE",
        "Exit codes: 0 printed, 1");
  }
}

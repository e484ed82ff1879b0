package io.meterbridge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.gateway.CatalogProduct;
import io.meterbridge.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's dashboard on the wire against a real gateway on a SQLite file: login, cookie
 * attributes, cross-site and CSRF refusals, each page's numbers against {@code /v1/usage/status},
 * and a customer identifier full of markup shown as text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayDashboardHttpTest {
  static final String INGEST = "ingest-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String PRODUCT = "prod-dash";
  static final String XSS_CUSTOMER = "<script>alert('x')</script>&\"";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Gateway gateway;
  private String base;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    gateway = seeded(dir);
    base = "http://127.0.0.1:" + gateway.port().orElseThrow();
  }

  /**
   * A gateway with the 6-hour window and a 3-hour alert window: two records of four hours ago
   * (closed, deadline in two hours: at risk) and one of the current hour (open, not at risk).
   */
  static Gateway seeded(Path dir) throws Exception {
    Gateway gateway = Gateway.builder().dataDir(dir).forwarding(false).port(0).ingestToken(INGEST).adminToken(ADMIN)
        .window("6h").alertBefore(Duration.ofHours(3)).quota(7)
        .product(CatalogProduct.saas(PRODUCT, "users", "storage_gb")).start();
    Instant old = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.HOURS).plusSeconds(60);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String body = "{\"events\":["
        + event("e1", "customerAWSAccountId", "222222222222", "users", 5, old) + ","
        + event("e2", "customerIdentifier", XSS_CUSTOMER, "storage_gb", 9, old) + ","
        + event("e3", "customerAWSAccountId", "222222222222", "users", 2, now) + "]}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port().orElseThrow() + "/v1/usage"))
        .header("Authorization", "Bearer " + INGEST).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).doesNotContain("rejected");
    gateway.sweep();
    return gateway;
  }

  private static String event(String id, String customerField, String customer, String dimension, long quantity,
      Instant time) {
    return "{\"id\":\"" + id + "\",\"productCode\":\"" + PRODUCT + "\",\"" + customerField + "\":\""
        + customer.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"dimension\":\"" + dimension
        + "\",\"quantity\":" + quantity + ",\"timestamp\":\"" + time + "\"}";
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void pageWithoutSession_redirectsToTheLoginForm() throws Exception {
    HttpResponse<String> r = send("GET", "/ui/deadlines", null, null, null);

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location").orElseThrow()).contains("/ui/login");
  }

  @Test
  void login_withTheAdminToken_setsAnHttpOnlySameSiteStrictCookie() throws Exception {
    HttpResponse<String> r = login(ADMIN, null);

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location").orElseThrow()).contains("/ui/");
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(Dashboard.COOKIE + "=")
        .contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/ui").doesNotContain(ADMIN);
  }

  @Test
  void login_withAWrongOrTheIngestToken_is401_andSetsNoCookie() throws Exception {
    for (String token : new String[] {"wrong-token-0123456789", INGEST}) {
      HttpResponse<String> r = login(token, null);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(r.body()).contains("not the admin token");
    }
    assertThat(login("", null).statusCode()).isEqualTo(400);
  }

  @Test
  void login_postedFromAnotherOrigin_isRefused() throws Exception {
    HttpResponse<String> r = login(ADMIN, "https://evil.example");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void logout_needsTheCsrfToken_thenEndsTheSession() throws Exception {
    String cookie = session();
    String page = send("GET", "/ui/quota", cookie, null, null).body();
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();

    assertThat(send("POST", "/ui/logout", cookie, "csrf=stale", null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/ui/quota", cookie, null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> out = send("POST", "/ui/logout", cookie, "csrf=" + csrf.group(1), null);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(send("GET", "/ui/quota", cookie, null, null).statusCode()).isEqualTo(303);
  }

  @Test
  void recordsPage_showsTheCountsOfTheStatus() throws Exception {
    String status = adminGet("/v1/usage/status");
    HttpResponse<String> r = send("GET", "/ui/", session(), null, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).contains("text/html");
    for (String state : new String[] {"open", "closed", "sending", "sent", "not-subscribed", "conflict", "expired"}) {
      String count = jsonNumber(status, state);
      assertThat(value(r.body(), "count-" + state)).as(state).isEqualTo(count);
      assertThat(r.body()).contains("data-label=\"" + state + "\" data-value=\"" + count + "\"");
    }
    assertThat(value(r.body(), "count-open")).isEqualTo("1");
    assertThat(value(r.body(), "count-closed")).isEqualTo("2");
    assertThat(value(r.body(), "alerts")).isEqualTo(jsonNumber(status, "alerts")).isEqualTo("2");
  }

  @Test
  void deadlinesPage_listsTheUnsentRecordsWithinTheAlertWindow_oldestFirst_escaped() throws Exception {
    HttpResponse<String> r = send("GET", "/ui/deadlines", session(), null, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(value(r.body(), "at-risk-count")).isEqualTo("2");
    String table = r.body().substring(r.body().indexOf("id=\"at-risk\""));
    assertThat(table).contains("222222222222").contains("closed")
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
    assertThat(r.body()).doesNotContain("<script>");
    // The open record of the current hour is hours from its deadline.
    assertThat(table.split("<tr data-id=")).hasSize(3);
  }

  @Test
  void errorsPage_showsTheUpstreamCallsOfTheMetrics() throws Exception {
    HttpResponse<String> r = send("GET", "/ui/errors", session(), null, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(value(r.body(), "upstream-calls")).isEqualTo("0");
    assertThat(value(r.body(), "upstream-failed")).isEqualTo("0");
    assertThat(r.body()).contains("No failed upstream call.").contains("No record has an upstream error.");
  }

  @Test
  void quotaPage_showsTheConfiguredQuotaAndItsUse() throws Exception {
    String status = adminGet("/v1/usage/status");
    HttpResponse<String> r = send("GET", "/ui/quota", session(), null, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(value(r.body(), "quota-per-second")).isEqualTo("7");
    assertThat(jsonNumber(status, "callsPerSecond")).isEqualTo("7.0");
    assertThat(value(r.body(), "quota-in-use")).isEqualTo("0");
  }

  @Test
  void unknownPage_is404_andTheStylesheetIsServed() throws Exception {
    String cookie = session();
    HttpResponse<String> missing = send("GET", "/ui/%3Cb%3E", cookie, null, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("&lt;b&gt;").doesNotContain("<b>");
    HttpResponse<String> css = send("GET", "/ui/static/dashboard.css", null, null, null);
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).contains("text/css");
  }

  // ------------------------------------------------------------------------------------------ helpers

  private String session() throws Exception {
    String setCookie = login(ADMIN, null).headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpResponse<String> login(String token, String origin) throws Exception {
    return send("POST", "/ui/login", null, "token=" + java.net.URLEncoder.encode(token,
        java.nio.charset.StandardCharsets.UTF_8), origin);
  }

  private HttpResponse<String> send(String method, String path, String cookie, String form, String origin)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String adminGet(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + ADMIN).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The text of the element with {@code id}. */
  static String value(String html, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\">([^<]*)<").matcher(html);
    assertThat(m.find()).as("element " + id).isTrue();
    return m.group(1);
  }

  private static String jsonNumber(String json, String name) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":([0-9.]+)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }
}

package io.meterbridge.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login, session cookie, CSRF and escaping rules over plain HTTP against a real
 * seeded server: what a browser cannot be made to show (cookie attributes, refused cross-site posts,
 * headers), checked on the wire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardHttpTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  SeededServer seeded;

  @BeforeAll
  void start(@TempDir Path dir) {
    seeded = new SeededServer(dir);
  }

  @AfterAll
  void stop() {
    seeded.close();
  }

  @Test
  void pageWithoutSession_redirectsToTheLoginForm() {
    HttpResponse<String> response = get("/ui/catalog", null);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).contains("/ui/login");
  }

  @Test
  void login_withTheAdminToken_setsAnHttpOnlySameSiteStrictCookie_andNoTokenInTheRedirect() {
    HttpResponse<String> response = login(SeededServer.TOKEN, null);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).contains("/ui/");
    String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith(Dashboard.COOKIE + "=").contains("; HttpOnly").contains("; SameSite=Strict")
        .contains("; Path=/ui").doesNotContain("Secure").doesNotContain(SeededServer.TOKEN);
  }

  @Test
  void login_withAWrongToken_is401_andSetsNoCookie() {
    HttpResponse<String> response = login("wrong-token-0123456789", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(response.body()).contains("not the admin token");
  }

  @Test
  void login_postedFromAnotherOrigin_isRefused() {
    HttpResponse<String> response = login(SeededServer.TOKEN, "https://evil.example");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void formWithoutTheSessionsCsrfToken_isRefused_andChangesNothing() {
    String cookie = session();
    HttpResponse<String> response = post("/ui/clock", cookie, "action=shift&shiftSeconds=3600", null);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("CSRF token");
    assertThat(seeded.admin("GET", "/admin/clock", null).path("offsetSeconds").asDouble()).isLessThan(5);
  }

  @Test
  void formWithTheCsrfToken_fromAnotherOrigin_isRefused() {
    String cookie = session();
    String csrf = csrf(get("/ui/faults", cookie).body());
    HttpResponse<String> response = post("/ui/faults/clear", cookie, "csrf=" + csrf, "https://evil.example");

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void formWithTheCsrfToken_changesTheClock_andRedirectsBack() {
    String cookie = session();
    String csrf = csrf(get("/ui/faults", cookie).body());

    HttpResponse<String> response = post("/ui/clock", cookie, "action=shift&shiftSeconds=60&csrf=" + csrf, null);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(seeded.admin("GET", "/admin/clock", null).path("offsetSeconds").asDouble()).isBetween(55.0, 65.0);
    seeded.admin("POST", "/admin/clock", "{\"reset\":true}");
  }

  @Test
  void markupInAQueryParameter_isEscapedInTheFormAndTheErrorMessage() {
    String cookie = session();
    String attack = "\"><script>window.pwned=1</script>";
    HttpResponse<String> response = get("/ui/usage?productCode=" + URLEncoder.encode(attack, StandardCharsets.UTF_8),
        cookie);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("<script>window.pwned").contains("&lt;script&gt;window.pwned=1")
        .contains("&quot;&gt;");
  }

  @Test
  void seededMarkup_isShownEscapedOnTheCatalogAndUsagePages() {
    String cookie = session();

    String catalog = get("/ui/catalog", cookie).body();
    String usage = get("/ui/usage?productCode=demo-saas&customer=" + SeededServer.XSS_ACCOUNT, cookie).body();

    assertThat(catalog).doesNotContain(SeededServer.XSS).doesNotContain(SeededServer.XSS_DIMENSION)
        .contains("&lt;script&gt;window.pwned=1&lt;/script&gt;").contains("x&lt;img src=x onerror=window.pwned=1&gt;");
    assertThat(usage).doesNotContain(SeededServer.XSS_DIMENSION).contains("x&lt;img src=x onerror=window.pwned=1&gt;");
  }

  @Test
  void pages_forbidScriptsAndFraming_andAreNotCached() {
    HttpResponse<String> response = get("/ui/", session());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("script-src"));
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
  }

  @Test
  void logout_endsTheSession() {
    String cookie = session();
    String csrf = csrf(get("/ui/faults", cookie).body());

    HttpResponse<String> out = post("/ui/logout", cookie, "csrf=" + csrf, null);

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(get("/ui/", cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void dashboard_isNotThereWithoutAnAdminToken(@TempDir Path dir) {
    try (MeterbridgeServer plain = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0)
        .bindAddress("127.0.0.1").dataDir(dir).build())) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(plain.endpoint().resolve("/ui/login")));

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("start it with an admin token");
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private String session() {
    String setCookie = login(SeededServer.TOKEN, null).headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }

  private HttpResponse<String> login(String token, String origin) {
    return post("/ui/login", null, "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), origin);
  }

  private HttpResponse<String> get(String path, String cookie) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return send(request);
  }

  private HttpResponse<String> post(String path, String cookie, String form, String origin) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    return send(request);
  }

  private URI uri(String path) {
    return seeded.endpoint().resolve(path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    return seeded.send(request.timeout(Duration.ofSeconds(30)));
  }
}

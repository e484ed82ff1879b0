package io.meterbridge.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's upstream errors page against a real upstream that refuses the gateway's signature:
 * the failed calls by code are those of {@code /metrics}, and the record shows its last error.
 */
class DashboardUpstreamErrorsTest {
  static final String INGEST = "ingest-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";

  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @Test
  void errorsPage_showsTheFailedCallsByCode_asTheMetricsCountThem(@TempDir Path dir) throws Exception {
    try (Upstream upstream = Upstream.start(dir.resolve("upstream"), Optional.empty());
        MeteringClient wrongKey = MeteringClient.builder().region("us-east-1").endpointOverride(upstream.endpoint())
            .credentials(AwsCredentials.of(Upstream.KEY, "not-the-secret")).retryPolicy(RetryPolicy.none())
            .apiCallAttemptTimeout(Duration.ofSeconds(10)).build();
        Gateway gateway = Gateway.builder().dataDir(dir.resolve("gateway")).upstream(wrongKey).port(0)
            .ingestToken(INGEST).adminToken(ADMIN).product(Upstream.CATALOG.get(0)).start()) {
      base = "http://127.0.0.1:" + gateway.port().orElseThrow();
      Instant hour = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS).plusSeconds(30);
      String body = "{\"events\":[{\"id\":\"e1\",\"productCode\":\"" + Upstream.PRODUCT + "\",\"customerAWSAccountId\":\""
          + Upstream.CUSTOMER + "\",\"dimension\":\"users\",\"quantity\":4,\"timestamp\":\"" + hour + "\"}]}";
      assertThat(send("POST", "/v1/usage", "Bearer " + INGEST, null, body).body()).contains("accepted");
      gateway.sweep();

      // The forwarder retries: read the page between two equal scrapes, so both count the same calls.
      Map<String, String> shown = null;
      Map<String, String> metrics = Map.of();
      String cookie = logIn();
      String page = "";
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < until) {
        Map<String, String> before = upstreamErrors();
        page = send("GET", "/ui/errors", null, cookie, null).body();
        metrics = upstreamErrors();
        if (!before.isEmpty() && before.equals(metrics)) {
          shown = table(page);
          break;
        }
        Thread.sleep(200);
      }

      assertThat(shown).as("a failed upstream call within a minute").isNotNull().isEqualTo(metrics);
      assertThat(shown.keySet()).allMatch(code -> !code.isBlank());
      String recordErrors = page.substring(page.indexOf("id=\"record-errors\""));
      assertThat(recordErrors).contains(Upstream.CUSTOMER).contains(shown.keySet().iterator().next());
    }
  }

  /** The error codes and counts of {@code meterbridge_gateway_upstream_errors_total} in /metrics. */
  private Map<String, String> upstreamErrors() throws Exception {
    Map<String, String> errors = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^meterbridge_gateway_upstream_errors_total\\{code=\"([^\"]+)\"[^}]*} ([0-9.]+)$")
        .matcher(send("GET", "/metrics", null, null, null).body());
    while (m.find()) {
      errors.put(m.group(1), Long.toString((long) Double.parseDouble(m.group(2))));
    }
    return errors;
  }

  private static Map<String, String> table(String page) {
    Map<String, String> rows = new TreeMap<>();
    String table = page.substring(page.indexOf("id=\"errors-by-code\""), page.indexOf("id=\"record-errors\""));
    Matcher m = Pattern.compile("<tr><td>([^<]+)</td><td class=\"num\">([0-9]+)</td></tr>").matcher(table);
    while (m.find()) {
      rows.put(m.group(1), m.group(2));
    }
    return rows;
  }

  private String logIn() throws Exception {
    HttpResponse<String> r = send("POST", "/ui/login", null, null, "token=" + URLEncoder.encode(ADMIN,
        StandardCharsets.UTF_8));
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpResponse<String> send(String method, String path, String authorization, String cookie, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

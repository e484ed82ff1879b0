package io.meterbridge.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.seed.DemoCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server (SQLite in a directory, the demo catalog) with the dashboard's test data: records
 * metered through our client, and values that try to inject markup (an account name, a customer
 * identifier, a dimension), each of which would set {@code window.pwned} if it ran.
 */
final class SeededServer implements AutoCloseable {
  static final String TOKEN = "dashboard-test-token-0123456789";
  static final String XSS = "<script>window.pwned=1</script>";
  static final String XSS_DIMENSION = "x<img src=x onerror=window.pwned=1>";
  static final String XSS_ACCOUNT = "666677778888";
  /** Quantities metered for demo-saas "users", one record a minute, in the past hour. */
  static final int[] USERS = {3, 5, 7, 11};
  static final int XSS_QUANTITY = 13;

  private static final ObjectMapper JSON = new ObjectMapper();

  final MeterbridgeServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  SeededServer(Path dir) {
    server = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0).bindAddress("127.0.0.1")
        .dataDir(dir).adminToken(TOKEN).build());
    admin("POST", "/admin/accounts", "{\"accountId\":\"" + XSS_ACCOUNT + "\",\"name\":\"" + XSS.replace("\"", "\\\"")
        + "\"}");
    admin("POST", "/admin/products/" + DemoCatalog.SAAS_PRODUCT + "/dimensions",
        "{\"dimensions\":[\"" + XSS_DIMENSION + "\"]}");
    admin("POST", "/admin/subscriptions", "{\"productCode\":\"" + DemoCatalog.SAAS_PRODUCT
        + "\",\"customerAWSAccountId\":\"" + XSS_ACCOUNT + "\",\"customerIdentifier\":\"" + XSS_DIMENSION
        + "\",\"since\":\"2020-01-01T00:00:00Z\"}");
    admin("POST", "/admin/tokens", "{\"productCode\":\"" + DemoCatalog.SAAS_PRODUCT
        + "\",\"customerAWSAccountId\":\"" + XSS_ACCOUNT + "\"}");
    try (MeteringClient seller = MeteringClient.builder().region("us-east-1")
        .credentials(AwsCredentials.of(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY))
        .endpointOverride(server.endpoint()).retryPolicy(RetryPolicy.none()).build()) {
      Instant now = server.clock().instant().truncatedTo(ChronoUnit.SECONDS);
      List<UsageRecord> records = new ArrayList<>();
      for (int i = 0; i < USERS.length; i++) {
        // Minutes apart in one hour where possible; BatchMeterUsage keeps one record per customer,
        // dimension and hour, so the hours differ too.
        records.add(UsageRecord.builder().timestamp(now.minus(Duration.ofHours(i)))
            .customerAwsAccountId(DemoCatalog.BUYER_ACCOUNT_ID).dimension("users").quantity(USERS[i]).build());
      }
      records.add(UsageRecord.builder().timestamp(now).customerAwsAccountId(XSS_ACCOUNT).dimension(XSS_DIMENSION)
          .quantity(XSS_QUANTITY).build());
      var response = seller.batchMeterUsage(BatchMeterUsageRequest.builder().productCode(DemoCatalog.SAAS_PRODUCT)
          .usageRecords(records).build());
      assertThat(response.unprocessedRecords()).isEmpty();
      assertThat(response.results()).allSatisfy(r -> assertThat(r.status().orElseThrow()).isEqualTo(UsageRecordResultStatus.SUCCESS));
    }
  }

  URI endpoint() {
    return server.endpoint();
  }

  /** An admin API call with the bearer token; fails the test on a status of 400 or more. */
  JsonNode admin(String method, String path, String body) {
    HttpResponse<String> response = adminRaw(method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(400);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> adminRaw(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve(path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return send(request);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}

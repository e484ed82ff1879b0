package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.seed.DemoCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;

/**
 * {@code GET /metrics} of a whole server, after calls through our client and the AWS SDK: calls and
 * latency by operation and outcome, records by status, throttled calls, the store's queue, commits
 * and pool, and the JVM, in the Prometheus text format.
 */
class MetricsWireTest {
  @TempDir
  Path dir;
  MeterbridgeServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    server = MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0).dataDir(dir)
        .rate("BatchMeterUsage", 2).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metrics_countCallsRecordsThrottlesAndTheStore_inPrometheusText() throws Exception {
    Instant at = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    UsageRecord users = UsageRecord.builder().timestamp(at).customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER)
        .dimension("users").quantity(3).build();
    UsageRecord sameHourOtherQuantity = UsageRecord.builder().timestamp(at)
        .customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER).dimension("users").quantity(4).build();
    try (MeteringClient seller = MeteringClient.builder().region("us-east-1")
        .credentials(AwsCredentials.of(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY))
        .endpointOverride(server.endpoint()).retryPolicy(RetryPolicy.none()).build()) {
      seller.batchMeterUsage(BatchMeterUsageRequest.of(DemoCatalog.SAAS_PRODUCT, List.of(users)));
      seller.batchMeterUsage(BatchMeterUsageRequest.of(DemoCatalog.SAAS_PRODUCT, List.of(sameHourOtherQuantity)));
      assertThatThrownBy(() -> {
        for (int i = 0; i < 10; i++) {
          seller.batchMeterUsage(BatchMeterUsageRequest.of(DemoCatalog.SAAS_PRODUCT, List.of(users)));
        }
      }).isInstanceOf(ThrottlingException.class);
    }
    try (MarketplaceMeteringClient sdk = MarketplaceMeteringClient.builder().endpointOverride(server.endpoint())
        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY)))
        .overrideConfiguration(o -> o.retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.none())).build()) {
      assertThatThrownBy(() -> sdk.resolveCustomer(b -> b.registrationToken("no-such-token")))
          .isInstanceOf(software.amazon.awssdk.services.marketplacemetering.model.InvalidTokenException.class);
    }

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
    String text = response.body();
    assertThat(value(text, "meterbridge_calls_total", "operation=\"BatchMeterUsage\"", "outcome=\"success\""))
        .isEqualTo(2.0);
    assertThat(value(text, "meterbridge_calls_total", "operation=\"BatchMeterUsage\"",
        "outcome=\"ThrottlingException\"")).isEqualTo(1.0);
    assertThat(value(text, "meterbridge_throttled_calls_total", "operation=\"BatchMeterUsage\"")).isEqualTo(1.0);
    assertThat(value(text, "meterbridge_calls_total", "operation=\"ResolveCustomer\"",
        "outcome=\"InvalidTokenException\"")).isEqualTo(1.0);
    assertThat(value(text, "meterbridge_records_total", "status=\"Success\"")).isEqualTo(1.0);
    assertThat(value(text, "meterbridge_records_total", "status=\"DuplicateRecord\"")).isEqualTo(1.0);
    assertThat(value(text, "meterbridge_call_duration_seconds_bucket", "operation=\"BatchMeterUsage\"",
        "outcome=\"success\"", "le=\"+Inf\"")).isGreaterThanOrEqualTo(2.0);
    assertThat(value(text, "meterbridge_call_duration_seconds_bucket", "operation=\"BatchMeterUsage\"",
        "outcome=\"success\"", "le=\"0.005\"")).isNotNull();
    assertThat(value(text, "meterbridge_store_commits_total")).isGreaterThanOrEqualTo(2.0);
    assertThat(value(text, "meterbridge_store_committed_records_total")).isGreaterThanOrEqualTo(2.0);
    assertThat(value(text, "meterbridge_store_write_queue")).isNotNull();
    assertThat(value(text, "meterbridge_store_pool_max")).isEqualTo(8.0);
    assertThat(value(text, "meterbridge_audit_queue")).isNotNull();
    assertThat(value(text, "jvm_memory_used_bytes", "area=\"heap\"")).isNotNull();
    assertThat(value(text, "jvm_threads_live_threads")).isPositive();
  }

  @Test
  void metrics_otherMethod_is405() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  /** The value of the first sample of {@code name} whose labels include every one of {@code labels}. */
  static Double value(String text, String name, String... labels) {
    Optional<String> line = text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> List.of(labels).stream().allMatch(l::contains)).findFirst();
    return line.map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(null);
  }
}

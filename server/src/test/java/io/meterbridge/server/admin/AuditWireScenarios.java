package io.meterbridge.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.exception.InvalidSignatureException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.seed.DemoCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.marketplacemetering.MarketplaceMeteringClient;

/**
 * The audit trail and the access log of a whole server ({@link MeterbridgeServer}, as {@code
 * meterbridge serve} runs it), driven through the wire by our client, the AWS SDK for Java v2 and
 * plain HTTP: accepted calls, refused signatures, validation errors, throttling and admin actions
 * are each found in {@code GET /admin/audit} and in the access log file, without any secret.
 */
abstract class AuditWireScenarios {
  static final String TOKEN = "audit-admin-token-0123456789";

  @TempDir
  Path dir;
  MeterbridgeServer server;
  Path accessLog;
  final HttpClient http = HttpClient.newHttpClient();

  /** The database part of the configuration: SQLite under {@code dir} or a PostgreSQL schema. */
  abstract MeterbridgeServerConfig.Builder database(MeterbridgeServerConfig.Builder builder, Path dir);

  @BeforeEach
  void start() {
    accessLog = dir.resolve("access.log");
    server = MeterbridgeServer.start(database(MeterbridgeServerConfig.builder(), dir)
        .port(0)
        .adminToken(TOKEN)
        .rate("BatchMeterUsage", 3)
        .accessLog(accessLog.toString())
        .build());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  MeteringClient client(String accessKeyId, String secret) {
    return MeteringClient.builder().region("us-east-1").credentials(AwsCredentials.of(accessKeyId, secret))
        .endpointOverride(server.endpoint()).retryPolicy(RetryPolicy.none()).build();
  }

  MarketplaceMeteringClient sdk(String accessKeyId, String secret) {
    return MarketplaceMeteringClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
        .overrideConfiguration(o -> o.retryPolicy(software.amazon.awssdk.core.retry.RetryPolicy.none()))
        .build();
  }

  BatchMeterUsageRequest batch(int records) {
    Instant at = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    List<UsageRecord> list = IntStream.range(0, records).mapToObj(i -> UsageRecord.builder().timestamp(at)
        .customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER).dimension("users").quantity(i + 1).build()).toList();
    return BatchMeterUsageRequest.of(DemoCatalog.SAAS_PRODUCT, list);
  }

  record Reply(int status, String body) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
      return (Map<String, Object>) AdminTestServer.parse(body);
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries() {
      return (List<Map<String, Object>>) json().get("entries");
    }
  }

  Reply admin(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.endpoint() + path))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Reply audit(String query) {
    return admin("GET", "/admin/audit" + query, null);
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void acceptedCall_isRecordedWithCallerKeyRecordsAndLatency() {
    try (MeteringClient seller = client(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      seller.batchMeterUsage(batch(3));
    }

    Reply reply = audit("?operation=BatchMeterUsage&account=" + DemoCatalog.SELLER_ACCOUNT_ID + "&outcome=success");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.entries()).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("operation", "BatchMeterUsage")
          .containsEntry("accountId", DemoCatalog.SELLER_ACCOUNT_ID)
          .containsEntry("accessKeyId", DemoCatalog.SELLER_ACCESS_KEY_ID)
          .containsEntry("source", "127.0.0.1")
          .containsEntry("status", 200L)
          .containsEntry("outcome", "success")
          .containsEntry("errorCode", null)
          .containsEntry("records", 3L);
      assertThat((Double) e.get("latencyMs")).isPositive();
      assertThat(Instant.parse((String) e.get("time"))).isBetween(Instant.now().minusSeconds(60), Instant.now());
    });
    assertThat(reply.json()).containsEntry("nextCursor", null);
  }

  @Test
  void failedSignature_isRecordedWithItsKeyButNoSecret_throughTheAwsSdk() {
    String wrongSecret = "wrongSecretThatMustNeverBeStored0123456789";
    String requestId;
    try (MarketplaceMeteringClient sdk = sdk(DemoCatalog.SELLER_ACCESS_KEY_ID, wrongSecret)) {
      AwsServiceException e = (AwsServiceException) org.assertj.core.api.Assertions.catchThrowable(() ->
          sdk.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT).usageRecords(List.of())));
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(InvalidSignatureException.CODE);
      requestId = e.requestId();
    }

    Reply reply = audit("?requestId=" + q(requestId));

    assertThat(reply.entries()).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("operation", "BatchMeterUsage")
        .containsEntry("accessKeyId", DemoCatalog.SELLER_ACCESS_KEY_ID)
        .containsEntry("accountId", null)
        .containsEntry("status", 400L)
        .containsEntry("outcome", "failure")
        .containsEntry("errorCode", InvalidSignatureException.CODE));
    server.close(); // flushes the access log
    server = null;
    assertThat(reply.body()).doesNotContain(wrongSecret).doesNotContain("Signature=");
    assertThat(read(accessLog)).contains(requestId).doesNotContain(wrongSecret).doesNotContain("Signature=");
  }

  @Test
  void validationError_isRecordedAsRefused_throughTheAwsSdk() {
    String requestId;
    try (MarketplaceMeteringClient sdk = sdk(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      // 26 records: one more than a batch may carry; the SDK sends it as it is.
      List<software.amazon.awssdk.services.marketplacemetering.model.UsageRecord> records = new ArrayList<>();
      for (int i = 0; i < 26; i++) {
        records.add(software.amazon.awssdk.services.marketplacemetering.model.UsageRecord.builder()
            .timestamp(Instant.now().minusSeconds(60)).customerIdentifier(DemoCatalog.CUSTOMER_IDENTIFIER)
            .dimension("users").quantity(1).build());
      }
      AwsServiceException e = (AwsServiceException) org.assertj.core.api.Assertions.catchThrowable(() ->
          sdk.batchMeterUsage(b -> b.productCode(DemoCatalog.SAAS_PRODUCT).usageRecords(records)));
      assertThat(e.statusCode()).isEqualTo(400);
      requestId = e.requestId();
    }

    assertThat(audit("?requestId=" + q(requestId)).entries()).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("operation", "BatchMeterUsage")
        .containsEntry("accountId", DemoCatalog.SELLER_ACCOUNT_ID)
        .containsEntry("status", 400L)
        .containsEntry("errorCode", "ValidationException"));
  }

  @Test
  void throttledCalls_areRecordedAndFoundByTheirErrorCode() {
    int throttled = 0;
    try (MeteringClient seller = client(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      for (int i = 0; i < 12; i++) {
        try {
          seller.batchMeterUsage(batch(1));
        } catch (ThrottlingException e) {
          throttled++;
        }
      }
    }
    assertThat(throttled).isPositive();

    Reply reply = audit("?outcome=ThrottlingException");

    assertThat(reply.entries()).hasSize(throttled).allSatisfy(e -> assertThat(e)
        .containsEntry("status", 400L).containsEntry("accountId", DemoCatalog.SELLER_ACCOUNT_ID));
    assertThat(audit("?outcome=400").entries()).hasSize(throttled);
  }

  @Test
  void callWithoutTarget_isRecordedAsPostSlash_withTheKeyItClaims() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIACLAIMEDKEY/20261204/us-east-1/aws-marketplace/"
            + "aws4_request, SignedHeaders=host, Signature=00ff")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);

    assertThat(audit("?operation=" + q("POST /")).entries()).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("accessKeyId", "AKIACLAIMEDKEY")
        .containsEntry("errorCode", "UnknownOperationException")
        .containsEntry("status", 400L));
  }

  @Test
  void adminActions_areRecorded() {
    assertThat(admin("POST", "/admin/clock", "{\"shiftSeconds\":60}").status()).isEqualTo(200);
    int rotated = admin("POST", "/admin/products/" + DemoCatalog.CONTAINER_PRODUCT + "/keys/rotate", null).status();
    assertThat(rotated).isEqualTo(201);
    assertThat(admin("POST", "/admin/faults", "{\"rules\":[]}").status()).isIn(200, 400);

    List<Map<String, Object>> entries = audit("?operation=" + q("POST /admin/clock")).entries();
    assertThat(entries).singleElement().satisfies(e -> assertThat(e).containsEntry("status", 200L));
    assertThat(audit("?operation=" + q("POST /admin/products/" + DemoCatalog.CONTAINER_PRODUCT + "/keys/rotate"))
        .entries()).singleElement().satisfies(e -> assertThat(e).containsEntry("status", 201L));
    assertThat(audit("?operation=" + q("POST /admin/faults")).entries()).hasSize(1);
  }

  @Test
  void pages_followTheCursor_newestFirst_andFiltersByTime() {
    Instant before = Instant.now();
    for (int i = 0; i < 5; i++) {
      admin("GET", "/admin/stats", null);
    }
    String query = "?operation=" + q("GET /admin/stats") + "&limit=2";
    List<String> seen = new ArrayList<>();
    Reply page = audit(query);
    while (true) {
      page.entries().forEach(e -> seen.add((String) e.get("time") + e.get("requestId")));
      Object cursor = page.json().get("nextCursor");
      if (cursor == null) {
        break;
      }
      page = audit(query + "&cursor=" + cursor);
    }
    assertThat(seen).hasSize(5).doesNotHaveDuplicates();
    assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(audit(query.replace("limit=2", "limit=100") + "&to=" + before).entries()).isEmpty();
    assertThat(audit(query.replace("limit=2", "limit=100") + "&from=" + before).entries()).hasSize(5);
  }

  @Test
  void badQuery_isRefusedNamingEveryWrongParameter() {
    Reply reply = audit("?limit=0&cursor=abc&outcome=" + q("no such!") + "&from=yesterday&colour=red");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).contains("limit").contains("cursor").contains("outcome").contains("from")
        .contains("colour");
  }

  @Test
  void purge_deletesEntriesOlderThanTheCutoff() {
    admin("GET", "/admin/stats", null);
    assertThat(audit("?operation=" + q("GET /admin/stats")).entries()).hasSize(1);

    server.store().audit().flush(Duration.ofSeconds(5));
    long deleted = server.store().audit().purge(Instant.now().plusSeconds(1));

    assertThat(deleted).isGreaterThanOrEqualTo(2);
    assertThat(audit("?operation=" + q("GET /admin/stats")).entries()).isEmpty();
    assertThat(server.purgeAudit()).isZero(); // the retention (30 days) keeps the listing just made
  }

  @Test
  void accessLog_hasOneLinePerCall_inTheDocumentedFormat() {
    try (MeteringClient seller = client(DemoCatalog.SELLER_ACCESS_KEY_ID, DemoCatalog.SELLER_SECRET_ACCESS_KEY)) {
      seller.batchMeterUsage(batch(2));
    }
    admin("GET", "/admin/stats", null);
    server.close();
    server = null;

    List<String> lines = read(accessLog).lines().toList();

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z 127\\.0\\.0\\.1 [0-9a-f-]{36} \"BatchMeterUsage\" 200 - "
        + DemoCatalog.SELLER_ACCOUNT_ID + " " + DemoCatalog.SELLER_ACCESS_KEY_ID + " 2 \\d+\\.\\d{3}");
    assertThat(lines.get(1)).matches(".* \"GET /admin/stats\" 200 - - - 0 \\d+\\.\\d{3}");
  }

  @Test
  void auditOff_recordsNothing() {
    server.close();
    server = MeterbridgeServer.start(database(MeterbridgeServerConfig.builder(), dir.resolve("off"))
        .port(0).adminToken(TOKEN).audit(false).build());
    admin("GET", "/admin/stats", null);

    assertThat(audit("").entries()).isEmpty();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

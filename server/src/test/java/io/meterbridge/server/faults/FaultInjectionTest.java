package io.meterbridge.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.client.MeteringClient;
import io.meterbridge.client.RetryPolicy;
import io.meterbridge.client.TransportException;
import io.meterbridge.exception.DisabledApiException;
import io.meterbridge.exception.InternalServiceErrorException;
import io.meterbridge.exception.ThrottlingException;
import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.store.RecordQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection on the wire: each kind as a client sees it, and what the store holds after. */
class FaultInjectionTest {
  static final String ADMIN = "fault-admin-token-0123456789";
  static final String PRODUCT = "prod-faults";
  static final int CUSTOMERS = 10;

  @TempDir Path dir;
  MeterbridgeServer server;
  MeteringClient client;
  final HttpClient http = HttpClient.newHttpClient();
  final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));

  @BeforeEach
  void start() throws Exception {
    server = MeterbridgeServer.start(config().build());
    client = client();
  }

  MeterbridgeServerConfig.Builder config() throws Exception {
    StringBuilder subscriptions = new StringBuilder();
    for (int i = 0; i < CUSTOMERS; i++) {
      subscriptions.append(i == 0 ? "" : ",").append("{\"productCode\":\"" + PRODUCT + "\",\"customerAWSAccountId\":\"")
          .append(customer(i)).append("\"}");
    }
    Path seed = dir.resolve("seed.json");
    Files.writeString(seed, "{\"accounts\":[{\"accountId\":\"111111111111\",\"accessKeys\":[{\"accessKeyId\":"
        + "\"AKIDFAULTS\",\"secretAccessKey\":\"secret\"}]}],\"products\":[{\"productCode\":\"" + PRODUCT
        + "\",\"seller\":\"111111111111\",\"type\":\"SAAS\",\"dimensions\":[\"calls\"]}],\"subscriptions\":["
        + subscriptions + "]}");
    return MeterbridgeServerConfig.builder().port(0).dataDir(dir.resolve("data")).seedFile(seed).adminToken(ADMIN)
        .throttling(false);
  }

  MeteringClient client() {
    return MeteringClient.builder().region("us-east-1").endpointOverride(server.endpoint())
        .credentials(AwsCredentials.of("AKIDFAULTS", "secret")).retryPolicy(RetryPolicy.none()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static String customer(int i) {
    return String.format("2%011d", i);
  }

  BatchMeterUsageRequest batch(int records, int quantity) {
    List<UsageRecord> list = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      list.add(UsageRecord.builder().timestamp(hour).customerAwsAccountId(customer(i)).dimension("calls")
          .quantity(quantity).build());
    }
    return BatchMeterUsageRequest.of(PRODUCT, list);
  }

  HttpResponse<String> admin(String method, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/admin/faults"))
        .header("Authorization", "Bearer " + ADMIN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  long stored() {
    return server.store().batchRecords(RecordQuery.builder().limit(1000).build()).items().size();
  }

  @Test
  void faults_areSetListedWithTheirFiringsAndCleared() throws Exception {
    HttpResponse<String> set = admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\","
        + "\"count\":2},{\"operation\":\"*\",\"kind\":\"delay\",\"probability\":0.0,\"delayMs\":3000}],\"seed\":42}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> client.batchMeterUsage(batch(1, 1))).isInstanceOf(ThrottlingException.class)
        .hasMessageContaining("fault injected: throttle on BatchMeterUsage");

    assertThat(admin("GET", null).body()).isEqualTo("{\"rules\":["
        + "{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\",\"count\":2,\"fired\":1,\"remaining\":1},"
        + "{\"operation\":\"*\",\"kind\":\"delay\",\"probability\":0.0,\"delayMs\":3000,\"fired\":0}],\"seed\":42}");
    assertThat(admin("DELETE", null).body()).isEqualTo("{\"rules\":[],\"seed\":0}");
    assertThat(client.batchMeterUsage(batch(1, 1)).results()).hasSize(1);
  }

  @Test
  void countRule_firesOnExactlyThatManyCalls() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"internal-error\",\"count\":2}]}");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.batchMeterUsage(batch(3, 1))).isInstanceOf(InternalServiceErrorException.class)
          .satisfies(e -> assertThat(((InternalServiceErrorException) e).statusCode()).isEqualTo(500));
    }
    assertThat(stored()).isZero();
    assertThat(client.batchMeterUsage(batch(3, 1)).results()).hasSize(3);
    assertThat(stored()).isEqualTo(3);
  }

  @Test
  void disabledApi_refusesTheCall() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"*\",\"kind\":\"disabled-api\",\"count\":1}]}");

    assertThatThrownBy(() -> client.batchMeterUsage(batch(2, 1))).isInstanceOf(DisabledApiException.class)
        .hasMessageContaining("The API is disabled in the Region.");
    assertThat(stored()).isZero();
  }

  @Test
  void operationFilter_leavesOtherOperationsAlone() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"MeterUsage\",\"kind\":\"throttle\",\"probability\":1}]}");

    assertThat(client.batchMeterUsage(batch(2, 1)).results()).hasSize(2);
  }

  @Test
  void delay_answersNoSoonerThanTheDelay() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"delay\",\"count\":1,\"delayMs\":700}]}");

    long start = System.nanoTime();
    BatchMeterUsageResponse r = client.batchMeterUsage(batch(2, 1));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(r.results()).hasSize(2);
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void unprocessed_returnsSomeRecordsUnstoredAndProcessesTheRest() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"unprocessed\",\"count\":1}],\"seed\":7}");

    BatchMeterUsageResponse r = client.batchMeterUsage(batch(10, 4));

    assertThat(r.unprocessedRecords()).isNotEmpty();
    assertThat(r.results().size() + r.unprocessedRecords().size()).isEqualTo(10);
    assertThat(stored()).isEqualTo(r.results().size());
    BatchMeterUsageResponse again = client.batchMeterUsage(BatchMeterUsageRequest.of(PRODUCT, r.unprocessedRecords()));
    assertThat(again.unprocessedRecords()).isEmpty();
    assertThat(stored()).isEqualTo(10);
  }

  @Test
  void dropBeforeCommit_closesTheConnectionAndStoresNothing() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"drop-before-commit\",\"count\":1}]}");

    assertThatThrownBy(() -> client.batchMeterUsage(batch(4, 1))).isInstanceOf(TransportException.class);
    assertThat(stored()).isZero();
  }

  @Test
  void dropAfterCommit_storesThenClosesTheConnection_andTheIdenticalRetryGetsTheSameIds() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"drop-after-commit\",\"count\":1}]}");

    assertThatThrownBy(() -> client.batchMeterUsage(batch(4, 2))).isInstanceOf(TransportException.class);
    assertThat(stored()).isEqualTo(4);
    List<String> stored = server.store().batchRecords(RecordQuery.builder().limit(10).build()).items().stream()
        .map(io.meterbridge.server.store.BatchRow::meteringRecordId).toList();
    BatchMeterUsageResponse retry = client.batchMeterUsage(batch(4, 2));
    assertThat(retry.results()).extracting(res -> res.meteringRecordId().orElseThrow())
        .containsExactlyInAnyOrderElementsOf(stored);
    assertThat(retry.results()).extracting(UsageRecordResult::status).allMatch(s -> s.orElseThrow().name()
        .equals("SUCCESS"));
  }

  @Test
  void probabilityRules_withOneSeed_fireTheSameWayEveryRun() throws Exception {
    String plan = "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\",\"probability\":0.5}],"
        + "\"seed\":1234}";
    List<Boolean> first = new ArrayList<>();
    List<Boolean> second = new ArrayList<>();
    for (List<Boolean> run : List.of(first, second)) {
      admin("POST", plan);
      for (int i = 0; i < 30; i++) {
        try {
          client.batchMeterUsage(batch(1, 1));
          run.add(false);
        } catch (ThrottlingException e) {
          run.add(true);
        }
      }
    }
    assertThat(first).isEqualTo(second).contains(true, false);
    assertThat(admin("GET", null).body()).contains("\"fired\":" + second.stream().filter(b -> b).count());
  }

  @Test
  void invalidPlan_is400NamingEveryProblem_andChangesNothing() throws Exception {
    admin("POST", "{\"rules\":[{\"operation\":\"*\",\"kind\":\"throttle\",\"count\":1}]}");

    HttpResponse<String> r = admin("POST", "{\"rules\":[{\"operation\":\"Batch\",\"kind\":\"explode\",\"probability\":2},"
        + "{\"operation\":\"*\",\"kind\":\"delay\",\"count\":1},{\"operation\":\"*\",\"kind\":\"throttle\"}],\"seed\":\"x\"}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("seed: must be a whole number",
        "rules[0].operation: 'Batch' is not BatchMeterUsage, MeterUsage, RegisterUsage, ResolveCustomer or *",
        "rules[0].kind: 'explode' is not one of throttle, internal-error, unprocessed, delay, drop-before-commit,"
            + " drop-after-commit, disabled-api",
        "rules[0].probability: must be a number from 0 to 1",
        "rules[1].delayMs: required for kind delay",
        "rules[2]: give exactly one of probability (0 to 1) and count (1 or more)");
    assertThat(admin("GET", null).body()).contains("\"kind\":\"throttle\",\"count\":1");
  }

  @Test
  void faultsFile_isInForceFromTheStart() throws Exception {
    server.close();
    Path file = dir.resolve("faults.json");
    Files.writeString(file, "{\"rules\":[{\"operation\":\"BatchMeterUsage\",\"kind\":\"throttle\",\"count\":1}],"
        + "\"seed\":5}");
    server = MeterbridgeServer.start(config().faultsFile(file).build());
    client.close();
    client = client();

    assertThatThrownBy(() -> client.batchMeterUsage(batch(1, 1))).isInstanceOf(ThrottlingException.class);
    assertThat(admin("GET", null).body()).contains("\"fired\":1,\"remaining\":0").contains("\"seed\":5");
  }
}

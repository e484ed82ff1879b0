package io.meterbridge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meterbridge.exception.InvalidProductCodeException;
import io.meterbridge.exception.MeteringClientException;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher through the wire: a loopback server that plays BatchMeterUsage, answers each record
 * by its customer (a {@code dup-} customer is a DuplicateRecord, a {@code nosub-} one
 * CustomerNotSubscribed, a {@code later-} one unprocessed the first time it arrives, a
 * {@code never-} one unprocessed every time) and fails the whole call for product {@code bad}.
 */
class UsageBatcherTest {
  static final Instant HOUR = Instant.parse("2026-12-04T20:00:00Z");

  /** One BatchMeterUsage call as the server received it. */
  record Call(String productCode, List<String> customers) {}

  HttpServer server;
  ExecutorService serverThreads;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @SuppressWarnings("unchecked")
  private void answer(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, Object> request = (Map<String, Object>) JsonTree.parse(body);
    String product = (String) request.get("ProductCode");
    List<Map<String, Object>> records = (List<Map<String, Object>>) request.get("UsageRecords");
    calls.add(new Call(product, records.stream().map(r -> (String) r.get("CustomerIdentifier")).toList()));
    String json;
    int status = 200;
    if (product.equals("bad")) {
      status = 400;
      json = "{\"__type\":\"InvalidProductCodeException\",\"message\":\"no such product\"}";
    } else {
      StringBuilder results = new StringBuilder();
      StringBuilder unprocessed = new StringBuilder();
      for (Map<String, Object> r : records) {
        String customer = (String) r.get("CustomerIdentifier");
        String echo = "{\"Timestamp\":" + ((BigDecimal) r.get("Timestamp")).toPlainString()
            + ",\"CustomerIdentifier\":\"" + customer + "\",\"Dimension\":\"" + r.get("Dimension")
            + "\",\"Quantity\":" + ((BigDecimal) r.get("Quantity")).toPlainString() + "}";
        boolean firstTime = seen.add(product + "/" + customer);
        if (customer.startsWith("never-") || (customer.startsWith("later-") && firstTime)) {
          unprocessed.append(unprocessed.length() == 0 ? "" : ",").append(echo);
          continue;
        }
        String outcome = customer.startsWith("dup-") ? "DuplicateRecord"
            : customer.startsWith("nosub-") ? "CustomerNotSubscribed" : "Success";
        results.append(results.length() == 0 ? "" : ",").append("{\"UsageRecord\":").append(echo)
            .append(",\"MeteringRecordId\":\"id-").append(product).append('-').append(customer)
            .append("\",\"Status\":\"").append(outcome).append("\"}");
      }
      json = "{\"Results\":[" + results + "],\"UnprocessedRecords\":[" + unprocessed + "]}";
    }
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(out);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  MeteringClient client() {
    MeteringClient client = MeteringClient.builder().region("us-east-1")
        .credentials(MeteringClientContract.CREDENTIALS).endpointOverride(uri())
        .retryPolicy(MeteringClientContract.FAST_RETRIES).build();
    opened.add(0, client);
    return client;
  }

  UsageBatcher batcher(Consumer<UsageBatcher.Builder> settings) {
    UsageBatcher batcher = client().batcher(settings);
    opened.add(0, batcher);
    return batcher;
  }

  static UsageRecord record(String customer, int quantity) {
    return UsageRecord.builder().timestamp(HOUR).customerIdentifier(customer).dimension("api_calls")
        .quantity(quantity).build();
  }

  static UsageRecordResult get(CompletableFuture<UsageRecordResult> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void add_sixtyRecordsOfTwoProducts_sendsCallsOfAtMost25PerProductAndAnswersEachRecord() throws Exception {
    UsageBatcher batcher = batcher(b -> b.maxDelay(Duration.ofMinutes(10)).backoff(Duration.ofMillis(1)));
    Map<String, CompletableFuture<UsageRecordResult>> futures = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      String product = i % 2 == 0 ? "prod-a" : "prod-b";
      String customer = (i % 10 == 3 ? "later-" : i == 4 ? "dup-" : i == 5 ? "nosub-" : "c-") + i;
      futures.put(product + "/" + customer, batcher.add(product, record(customer, i + 1)));
    }
    // 30 records per product: the first 25 of each went out on the size trigger, 5 still wait.
    for (Map.Entry<String, CompletableFuture<UsageRecordResult>> e : new ArrayList<>(futures.entrySet()).subList(0, 50)) {
      assertThat(get(e.getValue()).status()).isPresent();
    }
    assertThat(futures.values().stream().skip(50)).noneMatch(CompletableFuture::isDone);

    batcher.close();

    assertThat(futures.values()).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    futures.forEach((key, future) -> {
      UsageRecordResult result = future.join();
      String customer = key.substring(key.indexOf('/') + 1);
      assertThat(result.meteringRecordId()).contains("id-" + key.replace('/', '-'));
      assertThat(result.usageRecord().orElseThrow().customerIdentifier()).contains(customer);
      assertThat(result.status()).contains(customer.startsWith("dup-") ? UsageRecordResultStatus.DUPLICATE_RECORD
          : customer.startsWith("nosub-") ? UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED
          : UsageRecordResultStatus.SUCCESS);
    });
    assertThat(calls).allSatisfy(call -> assertThat(call.customers()).hasSizeBetween(1, 25));
    List<String> sentA = customersSent("prod-a");
    List<String> sentB = customersSent("prod-b");
    assertThat(sentA).hasSize(30).doesNotHaveDuplicates();
    // prod-b has the six "later-" customers, each sent twice.
    assertThat(sentB).hasSize(36);
    assertThat(sentB.stream().distinct()).hasSize(30);
    assertThat(sentB.stream().filter(c -> c.startsWith("later-"))).hasSize(12);
    assertThat(calls.stream().filter(c -> c.productCode().equals("prod-a")).map(c -> c.customers().size()))
        .containsExactly(25, 5);
  }

  List<String> customersSent(String product) {
    return calls.stream().filter(c -> c.productCode().equals(product)).flatMap(c -> c.customers().stream()).toList();
  }

  @Test
  void add_fewRecords_sentAfterMaxDelayWithoutClose() throws Exception {
    UsageBatcher batcher = batcher(b -> b.maxDelay(Duration.ofMillis(50)));

    List<CompletableFuture<UsageRecordResult>> futures = List.of(
        batcher.add("prod-a", record("c-1", 1)), batcher.add("prod-a", record("c-2", 2)),
        batcher.add("prod-a", record("c-3", 3)));

    for (CompletableFuture<UsageRecordResult> f : futures) {
      assertThat(get(f).status()).contains(UsageRecordResultStatus.SUCCESS);
    }
    assertThat(calls).containsExactly(new Call("prod-a", List.of("c-1", "c-2", "c-3")));
  }

  @Test
  void add_recordUnprocessedEveryTime_failsRetryablyAfterMaxAttempts() throws Exception {
    UsageBatcher batcher = batcher(b -> b.maxDelay(Duration.ZERO).maxAttempts(2).backoff(Duration.ofMillis(1)));

    CompletableFuture<UsageRecordResult> stuck = batcher.add("prod-a", record("never-1", 1));

    assertThatThrownBy(() -> get(stuck)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MeteringClientException.class)
        .hasMessageContaining("unprocessed after 2 attempts")
        .satisfies(e -> assertThat(((MeteringClientException) e).retryable()).isTrue());
    assertThat(customersSent("prod-a")).containsExactly("never-1", "never-1");
  }

  @Test
  void add_callFailsWithServiceError_failsEveryRecordOfTheCall() throws Exception {
    UsageBatcher batcher = batcher(b -> b.maxDelay(Duration.ofMinutes(10)));
    CompletableFuture<UsageRecordResult> one = batcher.add("bad", record("c-1", 1));
    CompletableFuture<UsageRecordResult> two = batcher.add("bad", record("c-2", 2));

    batcher.flush();

    for (CompletableFuture<UsageRecordResult> f : List.of(one, two)) {
      assertThatThrownBy(() -> get(f)).cause().isInstanceOf(InvalidProductCodeException.class);
    }
    assertThat(calls).hasSize(1);
  }

  @Test
  void add_afterClose_refused() {
    UsageBatcher batcher = batcher(b -> {});
    batcher.close();

    assertThatThrownBy(() -> batcher.add("prod-a", record("c-1", 1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client.batcher()");
  }

  @Test
  void builder_invalidSettings_refused() {
    MeteringClient client = client();
    assertThatThrownBy(() -> client.batcher(b -> b.maxAttempts(0))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts must be 1 or more");
    assertThatThrownBy(() -> client.batcher(b -> b.maxDelay(Duration.ofMillis(-1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
  }

  @Test
  void asyncClient_batcher_answersEachRecordAndResendsUnprocessed() throws Exception {
    MeteringAsyncClient async = MeteringAsyncClient.builder().region("us-east-1")
        .credentials(MeteringClientContract.CREDENTIALS).endpointOverride(uri())
        .retryPolicy(MeteringClientContract.FAST_RETRIES).build();
    opened.add(0, async);
    List<CompletableFuture<UsageRecordResult>> futures = new ArrayList<>();
    try (UsageBatcher batcher = async.batcher(b -> b.backoff(Duration.ofMillis(1)))) {
      for (int i = 0; i < 30; i++) {
        futures.add(batcher.add("prod-a", record((i % 4 == 0 ? "later-" : "c-") + i, i + 1)));
      }
    }

    assertThat(futures).allSatisfy(f -> assertThat(f.join().status()).contains(UsageRecordResultStatus.SUCCESS));
    assertThat(calls).allSatisfy(call -> assertThat(call.customers()).hasSizeBetween(1, 25));
    assertThat(customersSent("prod-a")).hasSize(30 + 8);
  }
}

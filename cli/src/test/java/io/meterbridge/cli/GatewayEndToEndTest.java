package io.meterbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.server.MeterbridgeServer;
import io.meterbridge.server.MeterbridgeServerConfig;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof: {@code meterbridge gateway} processes forwarding to a Meterbridge server that injects
 * every fault kind on about a tenth of the calls, with duplicates, conflicts, retries and late
 * arrivals, killed with SIGKILL twice mid-forwarding and restarted. In the end the server holds exactly one record per customer, dimension and hour, each
 * with what the gateway's ledger says it sent, and the quantities add up to exactly the accepted
 * events' quantities.
 */
class GatewayEndToEndTest {
  static final String TOKEN = "e2e-ingest-token-0123456789";
  static final String ADMIN = "e2e-admin-token-0123456789";
  static final String SELLER = "111111111111";
  static final String KEY = "AKIDE2ESELLER";
  static final String SECRET = "e2e-seller-secret";
  static final String PRODUCT = "prod-e2e";
  static final List<String> DIMENSIONS = List.of("calls", "bytes");
  static final int CUSTOMERS = 150;
  static final double QUOTA = 8;
  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir Path dir;

  @Test
  void sqlite_killedTwiceMidForwarding_everyRecordUpstreamOnceWithTheAcceptedSum() throws Exception {
    run(List.of("--data", dir.resolve("gateway").toString()), 1);
  }

  @Test
  void postgres_twoProcesses_oneKilledTwice_everyRecordUpstreamOnceWithTheAcceptedSum() throws Exception {
    String schema = "gw_e2e_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (var c = DriverManager.getConnection(PG); var s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try {
      run(List.of("--db", PG + "&currentSchema=" + schema), 2);
    } finally {
      try (var c = DriverManager.getConnection(PG); var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /** One event as sent, and what the gateway answered. */
  record Sent(String id, String customer, String dimension, long quantity, Instant timestamp) {
    String json() {
      return "{\"id\":\"" + id + "\",\"productCode\":\"" + PRODUCT + "\",\"customerAWSAccountId\":\"" + customer
          + "\",\"dimension\":\"" + dimension + "\",\"quantity\":" + quantity + ",\"timestamp\":\"" + timestamp + "\"}";
    }
  }

  private void run(List<String> database, int processes) throws Exception {
    MeterbridgeServer upstream = upstream();
    try {
      Path catalog = dir.resolve("catalog.json");
      Files.writeString(catalog, "{\"products\":[{\"productCode\":\"" + PRODUCT + "\",\"type\":\"SAAS\","
          + "\"dimensions\":[\"calls\",\"bytes\"]}]}");
      Map<String, String> env = Map.of("METERBRIDGE_INGEST_TOKEN", TOKEN, "AWS_ACCESS_KEY_ID", KEY,
          "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_REGION", "us-east-1");
      List<String> args = new ArrayList<>(database);
      args.addAll(List.of("--upstream-endpoint", upstream.endpoint().toString(), "--catalog", catalog.toString(),
          "--admin-token", ADMIN, "--quota", Double.toString(QUOTA), "--close-delay", "1s"));
      Path log = dir.resolve("gateway.log");
      List<GatewayProcess> gateways = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        gateways.add(GatewayProcess.start(env, log, args.toArray(String[]::new)));
      }

      // Every fault AWS can cause, each on about a tenth of the calls that reach it (one fault per call).
      String plan = "{\"rules\":[" + String.join(",", List.of("throttle", "internal-error", "unprocessed",
          "drop-before-commit", "drop-after-commit", "disabled-api").stream().map(kind ->
          "{\"operation\":\"BatchMeterUsage\",\"kind\":\"" + kind + "\",\"probability\":0.1}").toList())
          + ",{\"operation\":\"BatchMeterUsage\",\"kind\":\"delay\",\"probability\":0.1,\"delayMs\":1500}],"
          + "\"seed\":42}";
      assertThat(upstreamAdmin(upstream, "POST", plan).statusCode()).isEqualTo(200);

      Driver driver = new Driver(gateways);
      Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
      List<Instant> hours = List.of(now.minus(Duration.ofHours(4)), now.minus(Duration.ofHours(3)),
          now.minus(Duration.ofHours(2)));
      Random random = new Random(42);

      // Usage of three closed hours, with duplicates and conflicts among it.
      driver.send(events(random, hours, 0, 3000));
      driver.resendSome(random, 150);
      driver.conflictSome(random, 50);

      // Kill the first process mid-forwarding, twice, restarting it each time; keep sending meanwhile.
      for (int kill = 1; kill <= 2; kill++) {
        int target = kill;
        awaitTrue("forwarding under way before kill " + kill, Duration.ofSeconds(90),
            () -> driver.sent() >= target * 120);
        gateways.get(0).kill();
        driver.send(events(random, hours, kill * 10_000, 300)); // answered by the other process, or retried
        gateways.set(0, GatewayProcess.start(env, log, args.toArray(String[]::new)));
        driver.retryFailed();
      }

      // Late arrivals for hours already sent: carried into a later hour, never lost.
      driver.send(events(random, List.of(hours.get(0)), 90_000, 200));
      driver.resendSome(random, 50);
      driver.retryFailed();
      // Late usage of keys whose later hours were sent too lands in the current hour: time travel
      // closes it (its records are stamped with the hour's start, which the upstream accepts).
      awaitTrue("the past hours sent", Duration.ofSeconds(120), () -> driver.openHoursBefore(now) == 0);
      driver.admin("POST", "/admin/clock", "{\"shiftSeconds\":3605}");

      try {
        awaitTrue("every record in a final state", Duration.ofSeconds(180), driver::allFinal);
      } catch (AssertionError e) {
        List<String> lines = Files.readAllLines(log);
        throw new AssertionError(e.getMessage() + "\nstatus: " + driver.get("/v1/usage/status") + "\nsome records: "
            + driver.get("/v1/usage/records?state=closed&limit=3") + "\nlog:\n"
            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
      }

      // The upstream holds one record per key, each exactly as the ledger says it was sent.
      List<BatchRow> stored = rows(upstream);
      Map<String, BatchRow> byKey = new HashMap<>();
      for (BatchRow r : stored) {
        assertThat(byKey.put(r.customerAccountId() + "/" + r.dimension() + "/" + r.hour(), r)).as("one record per key")
            .isNull();
      }
      List<Map<String, Object>> ledger = driver.ledger();
      Map<String, Map<String, Object>> sentById = new HashMap<>();
      for (Map<String, Object> record : ledger) {
        assertThat(record.get("state")).as("record %s", record).isEqualTo("sent");
        sentById.put((String) record.get("meteringRecordId"), record);
      }
      assertThat(sentById).hasSameSizeAs(stored);
      for (BatchRow r : stored) {
        Map<String, Object> record = sentById.get(r.meteringRecordId());
        assertThat(record).as("ledger record of %s", r.meteringRecordId()).isNotNull();
        assertThat(Long.parseLong((String) record.get("quantity"))).isEqualTo(r.quantity());
        assertThat(record.get("hour")).isEqualTo(r.hour().toString());
      }
      // Every accepted event counted once, none of the refused ones.
      Map<String, Long> expected = driver.expectedSums();
      Map<String, Long> actual = new HashMap<>();
      for (BatchRow r : stored) {
        actual.merge(r.customerAccountId() + "/" + r.dimension(), (long) r.quantity(), Long::sum);
      }
      assertThat(actual).isEqualTo(expected);
      assertThat(driver.carried()).as("late events were carried").isPositive();
      assertThat(driver.conflicts()).isEqualTo(50);
      String fired = upstreamAdmin(upstream, "GET", null).body();
      assertThat(Pattern.compile("\"fired\":([1-9]\\d*)").matcher(fired).results().count())
          .as("every fault kind fired: %s", fired).isEqualTo(7);

      for (GatewayProcess g : gateways) {
        // SIGTERM: the shutdown hook stops the gateway cleanly, and the JVM exits with 128 + 15.
        assertThat(g.stop()).isZero();
      }
    } finally {
      upstream.close();
    }
  }

  private List<Sent> events(Random random, List<Instant> hours, int offset, int count) {
    List<Sent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String customer = customer(random.nextInt(CUSTOMERS));
      Instant hour = hours.get(random.nextInt(hours.size()));
      events.add(new Sent("ev-" + (offset + i), customer, DIMENSIONS.get(random.nextInt(2)),
          1 + random.nextInt(1000), hour.plusSeconds(random.nextInt(3600)).plusMillis(random.nextInt(1000))));
    }
    return events;
  }

  static String customer(int i) {
    return String.format("9%011d", i);
  }

  /** Sends events to any live gateway, remembers every answer, and keeps what failed for a retry. */
  final class Driver {
    private final List<GatewayProcess> gateways;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Sent> accepted = new ConcurrentHashMap<>();
    private final List<Sent> failed = new ArrayList<>();
    private int conflicts;
    private int next;

    Driver(List<GatewayProcess> gateways) {
      this.gateways = gateways;
    }

    void send(List<Sent> events) throws InterruptedException {
      for (int from = 0; from < events.size(); from += 100) {
        post(events.subList(from, Math.min(events.size(), from + 100)));
      }
    }

    /** Sends the same events again: a client retrying after a timeout. Answered duplicate. */
    void resendSome(Random random, int count) throws InterruptedException {
      List<Sent> known = new ArrayList<>(accepted.values());
      known.sort(java.util.Comparator.comparing(Sent::id));
      List<Sent> again = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        again.add(known.get(random.nextInt(known.size())));
      }
      post(again);
    }

    /** Reuses accepted ids with another quantity: answered conflict, changing nothing. */
    void conflictSome(Random random, int count) throws InterruptedException {
      List<Sent> known = new ArrayList<>(accepted.values());
      known.sort(java.util.Comparator.comparing(Sent::id));
      java.util.Collections.shuffle(known, random);
      List<Sent> other = known.subList(0, count).stream()
          .map(s -> new Sent(s.id(), s.customer(), s.dimension(), s.quantity() + 1, s.timestamp())).toList();
      post(other);
    }

    void retryFailed() throws InterruptedException {
      List<Sent> again = new ArrayList<>(failed);
      failed.clear();
      send(again);
    }

    private void post(List<Sent> batch) throws InterruptedException {
      String body = "{\"events\":[" + String.join(",", batch.stream().map(Sent::json).toList()) + "]}";
      for (int attempt = 0; attempt < gateways.size(); attempt++) {
        GatewayProcess g = gateways.get(next++ % gateways.size());
        HttpResponse<String> r;
        try {
          r = http.send(HttpRequest.newBuilder(URI.create(g.endpoint() + "/v1/usage"))
              .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          continue; // that process is down: the next one, or a retry after its restart
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = RESULT.matcher(r.body());
        int i = 0;
        while (m.find()) {
          Sent s = batch.get(i++);
          assertThat(m.group(1)).isEqualTo(s.id());
          switch (m.group(2)) {
            case "accepted", "duplicate" -> {
              Sent first = accepted.putIfAbsent(s.id(), s);
              assertThat(first == null || first.quantity() == s.quantity()).as("duplicate of the same content")
                  .isTrue();
            }
            case "conflict" -> {
              assertThat(accepted.get(s.id()).quantity()).isNotEqualTo(s.quantity());
              conflicts++;
            }
            default -> throw new AssertionError("event " + s + " was " + m.group(2) + ": " + r.body());
          }
        }
        assertThat(i).isEqualTo(batch.size());
        return;
      }
      failed.addAll(batch);
    }

    Map<String, Long> expectedSums() {
      Map<String, Long> sums = new HashMap<>();
      accepted.values().forEach(s -> sums.merge(s.customer() + "/" + s.dimension(), s.quantity(), Long::sum));
      return sums;
    }

    int conflicts() {
      return conflicts;
    }

    private GatewayProcess live() {
      return gateways.stream().filter(GatewayProcess::alive).findFirst().orElseThrow();
    }

    private String get(String path) {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(live().endpoint() + path))
            .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    long sent() {
      Matcher m = Pattern.compile("\"sent\":(\\d+)").matcher(get("/v1/usage/status"));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    String admin(String method, String path, String body) {
      try {
        return http.send(HttpRequest.newBuilder(URI.create(live().endpoint() + path))
            .header("Authorization", "Bearer " + ADMIN)
            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
            .body();
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /** Records of hours before {@code hour} that are not final yet. */
    long openHoursBefore(Instant hour) {
      return ledger().stream().filter(r -> Instant.parse((String) r.get("hour")).isBefore(hour)
          && !r.get("state").equals("sent")).count();
    }

    boolean allFinal() {
      String status = get("/v1/usage/status");
      return status.contains("\"open\":0,\"closed\":0,\"sending\":0,");
    }

    List<Map<String, Object>> ledger() {
      List<Map<String, Object>> all = new ArrayList<>();
      String cursor = "";
      do {
        String page = get("/v1/usage/records?limit=1000" + cursor);
        Matcher m = RECORD.matcher(page);
        while (m.find()) {
          all.add(Map.of("id", m.group(1), "hour", m.group(2), "quantity", m.group(3), "carriedIn", m.group(4),
              "state", m.group(5), "meteringRecordId", Optional.ofNullable(m.group(6)).orElse("")));
        }
        Matcher c = Pattern.compile("\"nextCursor\":\"(\\d+)\"").matcher(page);
        cursor = c.find() ? "&cursor=" + c.group(1) : null;
      } while (cursor != null);
      return all;
    }

    long carried() {
      return ledger().stream().filter(r -> !r.get("carriedIn").equals("0")).count();
    }
  }

  private java.net.http.HttpResponse<String> upstreamAdmin(MeterbridgeServer upstream, String method, String body)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upstream.endpoint() + "/admin/faults"))
        .header("Authorization", "Bearer " + ADMIN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern RESULT = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"status\":\"([a-z]+)\"");
  private static final Pattern RECORD = Pattern.compile("\\{\"id\":(\\d+),[^{}]*?\"hour\":\"([^\"]+)\","
      + "\"quantity\":(\\d+),\"events\":\\d+,\"carriedIn\":(\\d+),[^{}]*?\"state\":\"([a-z-]+)\""
      + "(?:,\"deadline\":\"[^\"]+\")?(?:,\"meteringRecordId\":\"([^\"]+)\")?");

  private MeterbridgeServer upstream() throws IOException {
    StringBuilder subscriptions = new StringBuilder();
    for (int i = 0; i < CUSTOMERS; i++) {
      subscriptions.append(i == 0 ? "" : ",").append("{\"productCode\":\"").append(PRODUCT)
          .append("\",\"customerAWSAccountId\":\"").append(customer(i)).append("\"}");
    }
    Path seed = dir.resolve("seed.json");
    Files.writeString(seed, "{\"accounts\":[{\"accountId\":\"" + SELLER + "\",\"accessKeys\":[{\"accessKeyId\":\""
        + KEY + "\",\"secretAccessKey\":\"" + SECRET + "\"}]}],\"products\":[{\"productCode\":\"" + PRODUCT
        + "\",\"seller\":\"" + SELLER + "\",\"type\":\"SAAS\",\"dimensions\":[\"calls\",\"bytes\"]}],"
        + "\"subscriptions\":[" + subscriptions + "]}");
    return MeterbridgeServer.start(MeterbridgeServerConfig.builder().port(0).dataDir(dir.resolve("upstream")).seedFile(seed)
        .adminToken(ADMIN).rate("BatchMeterUsage", QUOTA).build());
  }

  private static List<BatchRow> rows(MeterbridgeServer upstream) {
    List<BatchRow> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      io.meterbridge.server.store.RecordQuery.Builder q = io.meterbridge.server.store.RecordQuery.builder().limit(1000);
      cursor.ifPresent(q::after);
      Page<BatchRow> page = upstream.store().batchRecords(q.build());
      all.addAll(page.items());
      cursor = page.cursor();
    } while (cursor.isPresent());
    return all;
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(100);
    }
  }
}

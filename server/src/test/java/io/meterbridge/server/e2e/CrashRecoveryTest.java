package io.meterbridge.server.e2e;

import static io.meterbridge.server.e2e.TestServer.SAAS;
import static io.meterbridge.server.e2e.TestServer.SECRET;
import static io.meterbridge.server.e2e.TestServer.SELLER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.model.BatchMeterUsageRequest;
import io.meterbridge.model.BatchMeterUsageResponse;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResult;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.Page;
import io.meterbridge.server.store.RecordQuery;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records acknowledged before the server is killed with SIGKILL are all there after a restart,
 * none twice, and replaying them bills nothing new: on SQLite and on PostgreSQL.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  /** What the server process is told to run on: a SQLite directory, or {@code postgres:<schema>}. */
  private String database;
  private StoreConfig storeConfig;

  @Test
  void sqlite_killMinus9_midStream_losesNoAcknowledgedRecordAndReplaysBillNothingTwice() throws Exception {
    database = dir.toString();
    storeConfig = StoreConfig.sqlite(dir).build();
    killMinus9MidStream();
  }

  @Test
  void postgres_killMinus9_midStream_losesNoAcknowledgedRecordAndReplaysBillNothingTwice() throws Exception {
    String schema = "mb_crash_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
    database = "postgres:" + schema;
    storeConfig = StoreConfig.postgres(TestServer.POSTGRES_URL).user("postgres").schema(schema).build();
    try {
      killMinus9MidStream();
    } finally {
      try (var c = java.sql.DriverManager.getConnection(TestServer.POSTGRES_URL, "postgres", "");
           var s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private void killMinus9MidStream() throws Exception {
    seedCustomers();
    Process server = startServer();
    String endpoint = "http://127.0.0.1:" + readPort(server);
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    Map<String, UsageRecord> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean killed = new AtomicBoolean();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      running.add(callers.submit(() -> {
        try (WireClient seller = MeterbridgeWireClient.FACTORY.create(endpoint, "us-east-1", SELLER_KEY, SECRET)) {
          for (int call = 0; call < CALLS && !killed.get(); call++) {
            List<UsageRecord> records = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
              // A customer per record keeps every record's dedup key unique across the run.
              records.add(UsageRecord.builder().timestamp(hour).customerAwsAccountId(customer(thread, call, i))
                  .dimension("users").quantity(i + 1).build());
            }
            try {
              BatchMeterUsageResponse response = seller.batchMeterUsage(BatchMeterUsageRequest.of(SAAS, records));
              for (UsageRecordResult r : response.results()) {
                if (r.status().orElseThrow() == UsageRecordResultStatus.SUCCESS) {
                  acknowledged.put(r.meteringRecordId().orElseThrow(), r.usageRecord().orElseThrow());
                }
              }
            } catch (RuntimeException e) {
              if (!killed.get()) {
                throw e;
              }
            }
          }
        }
      }));
    }
    // Let some hundreds of batches land, then pull the plug while calls are in flight.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acknowledged.size() < 5_000 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    killed.set(true);
    server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no final commit
    server.waitFor(30, TimeUnit.SECONDS);
    callers.shutdown();
    assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    for (var f : running) {
      f.get(); // surfaces any failure that happened before the kill
    }
    assertThat(acknowledged).hasSizeGreaterThan(100);

    Map<String, Integer> stored = new HashMap<>();
    try (Store store = Stores.open(storeConfig)) {
      Optional<String> cursor = Optional.empty();
      do {
        RecordQuery.Builder query = RecordQuery.builder().limit(1000);
        cursor.ifPresent(query::after);
        Page<BatchRow> page = store.batchRecords(query.build());
        for (BatchRow row : page.items()) {
          assertThat(stored.put(row.meteringRecordId(), row.quantity())).as("stored once").isNull();
        }
        cursor = page.cursor();
      } while (cursor.isPresent());
    }
    assertThat(stored.keySet()).containsAll(acknowledged.keySet());
    acknowledged.forEach((id, record) -> assertThat(stored.get(id)).isEqualTo(record.quantity()));

    Process restarted = startServer();
    try (WireClient seller = MeterbridgeWireClient.FACTORY.create(
        "http://127.0.0.1:" + readPort(restarted), "us-east-1", SELLER_KEY, SECRET)) {
      List<Map.Entry<String, UsageRecord>> replay = new ArrayList<>(acknowledged.entrySet()).subList(0, 25);
      BatchMeterUsageResponse again = seller.batchMeterUsage(
          BatchMeterUsageRequest.of(SAAS, replay.stream().map(Map.Entry::getValue).toList()));
      for (int i = 0; i < replay.size(); i++) {
        assertThat(again.results().get(i).status()).contains(UsageRecordResultStatus.SUCCESS);
        assertThat(again.results().get(i).meteringRecordId()).contains(replay.get(i).getKey());
      }
    } finally {
      restarted.destroyForcibly();
      restarted.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static final int THREADS = 4;
  private static final int CALLS = 400;

  private static String customer(int thread, int call, int slot) {
    return String.format("5%05d%06d", thread * CALLS + call, slot);
  }

  /** Subscribes one customer per record the run can send, before the server starts. */
  private void seedCustomers() {
    try (Store store = Stores.open(storeConfig)) {
      store.apply(io.meterbridge.server.store.CatalogChanges.builder()
          .account(new io.meterbridge.server.store.Account(TestServer.SELLER, "seller"))
          .product(new io.meterbridge.server.store.Product(SAAS, TestServer.SELLER,
              io.meterbridge.server.store.ProductType.SAAS, "us-east-1"))
          .build());
      List<io.meterbridge.server.store.Subscription> all = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        for (int c = 0; c < CALLS; c++) {
          for (int i = 0; i < 25; i++) {
            all.add(io.meterbridge.server.store.Subscription.builder().productCode(SAAS)
                .customerAccountId(customer(t, c, i)).active(true).since(Instant.EPOCH).build());
          }
        }
      }
      store.apply(io.meterbridge.server.store.CatalogChanges.builder().subscriptions(all).build());
    }
  }

  private Process startServer() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashServerMain.class.getName(), database)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
        .start();
  }

  private static int readPort(Process process) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        int port = Integer.parseInt(line.substring(5).trim());
        // Keep draining the child's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return port;
      }
    }
    throw new IllegalStateException("the server process ended before listening");
  }
}

package io.meterbridge.bench;

import io.meterbridge.server.metering.Allocations;
import io.meterbridge.server.store.BatchRow;
import io.meterbridge.server.store.MeterOutcome;
import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.StoreConfig;
import io.meterbridge.server.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store's write path: {@link Store#meterBatch} of 25 new BatchMeterUsage rows, through the
 * store's group commit, with the server's durability (SQLite: the WAL fsynced before the answer;
 * PostgreSQL {@code synchronous_commit=on}), into a fresh database per fork.
 *
 * <p>{@code oneCaller}: every call is its own transaction, so the score is a commit's latency
 * (fsync included). {@code callers32}: 32 threads call at once and the store folds their rows into
 * shared commits; the score is the time one caller waits, so rows per second are 32 × 25 / score.
 * The rows are built as the service builds them (fresh id, fingerprint); each key is new.
 *
 * <p>{@code keys=spread} (the realistic case): 200,000 customers, and the 25 rows of a call belong to
 * 25 customers, one dimension; consecutive calls walk on through the customers, then the next
 * dimension, so each row lands in another part of the hour's unique index. {@code
 * keys=sequential} (the easy case): a call's rows are one customer's next dimensions, so inserts
 * append to the index.
 *
 * <p>{@code db=postgres} needs the database in {@code -Dmeterbridge.bench.pgUrl} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); it writes to the schema
 * {@code bench_jmh}, dropped first. {@code -p db=sqlite} runs SQLite alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreWriteBenchmark {
  private static final String SCHEMA = "bench_jmh";
  private static final int ROWS_PER_CALL = 25;
  private static final int DIMENSIONS = 1000;
  private static final int CUSTOMERS = 200_000;

  @Param({"sqlite", "postgres"})
  public String db;

  @Param({"spread", "sequential"})
  public String keys;

  private final AtomicLong nextRecord = new AtomicLong();
  private final String[] fingerprints = new String[9];
  private Path dataDir;
  private String pgUrl;
  private Store store;
  private long hour;

  @Setup(Level.Trial)
  public void open() throws IOException, SQLException {
    StoreConfig config;
    if (db.equals("sqlite")) {
      dataDir = Files.createTempDirectory("meterbridge-jmh-store");
      config = StoreConfig.sqlite(dataDir).build();
    } else {
      pgUrl = System.getProperty("meterbridge.bench.pgUrl", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
      dropSchema();
      config = StoreConfig.postgres(pgUrl).schema(SCHEMA).build();
    }
    store = Stores.open(config);
    hour = Instant.now().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
    for (int q = 1; q <= 8; q++) {
      fingerprints[q] = Allocations.fingerprint(q, List.of());
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException, SQLException {
    store.close();
    if (pgUrl != null) {
      dropSchema();
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Benchmark
  @Threads(1)
  public List<MeterOutcome> oneCaller() {
    return store.meterBatch(rows()).join();
  }

  @Benchmark
  @Threads(32)
  public List<MeterOutcome> callers32() {
    return store.meterBatch(rows()).join();
  }

  private void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  /** 25 rows with keys never used before, walking the key space as {@code keys} says. */
  private List<BatchRow> rows() {
    long first = nextRecord.getAndAdd(ROWS_PER_CALL);
    Instant now = Instant.now();
    boolean spread = keys.equals("spread");
    List<BatchRow> rows = new ArrayList<>(ROWS_PER_CALL);
    for (long r = first; r < first + ROWS_PER_CALL; r++) {
      int quantity = (int) (1 + (r & 7));
      long customer = spread ? r % CUSTOMERS : r / DIMENSIONS;
      long dimension = spread ? r / CUSTOMERS : r % DIMENSIONS;
      rows.add(BatchRow.builder()
          .meteringRecordId(UUID.randomUUID().toString())
          .productCode("bench-saas")
          .customerAccountId(Long.toString(200_000_000_000L + customer))
          .dimension("d" + dimension)
          .timestamp(Instant.ofEpochSecond(hour + 1))
          .quantity(quantity)
          .allocations("")
          .fingerprint(fingerprints[quantity])
          .callerAccountId("111111111111")
          .receivedAt(now)
          .build());
    }
    return rows;
  }
}

package io.meterbridge.bench.load;

import io.meterbridge.server.store.Store;
import io.meterbridge.server.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server load generator and the storage-ceiling benchmark. Run with the server's jar on the
 * class path (it is the code under test, and brings Netty, SQLite and PostgreSQL drivers):
 *
 * <pre>
 * java -cp cli/target/meterbridge.jar:bench/target/benchmarks.jar io.meterbridge.bench.load.LoadGenerator \
 *     --target server --db sqlite --workload batch --mode closed --connections 64 --warmup 10 --duration 30
 * </pre>
 *
 * <p>{@code --target server} starts {@code meterbridge.jar serve} as a child process on a fresh
 * database (SQLite in a temporary directory, or an emptied PostgreSQL schema) with a generated seed
 * file and throttling off, and drives it over HTTP; {@code --target store} writes the same rows
 * straight into the store in this JVM. Every run is bounded by {@code --duration} (after {@code
 * --warmup}) and {@code --max-calls}, and stops by itself. One markdown row per run goes to stdout
 * and, with {@code --results}, is appended to that file.
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String target = o.getOrDefault("target", "server");
    String db = o.getOrDefault("db", "sqlite");
    String pgUrl = o.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    HttpDriver.Workload workload = HttpDriver.Workload.valueOf(o.getOrDefault("workload", "batch").toUpperCase(Locale.ROOT));
    String mode = o.getOrDefault("mode", "closed");
    int connections = Integer.parseInt(o.getOrDefault("connections", "64"));
    double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
    long warmup = Long.parseLong(o.getOrDefault("warmup", "10"));
    long duration = Long.parseLong(o.getOrDefault("duration", "30"));
    long maxCalls = Long.parseLong(o.getOrDefault("max-calls", "100000000"));
    long prefill = Long.parseLong(o.getOrDefault("prefill", "0"));
    Path jar = Path.of(o.getOrDefault("jar", "cli/target/meterbridge.jar"));
    List<String> jvm = split(o.getOrDefault("server-jvm", ""));
    String jfr = o.get("jfr");
    String label = o.getOrDefault("label", target + " " + db + " " + workload.name().toLowerCase(Locale.ROOT) + " " + mode);
    Path results = o.containsKey("results") ? Path.of(o.get("results")) : null;
    Path work = Path.of(o.getOrDefault("work-dir", System.getProperty("java.io.tmpdir")));
    // The realistic SaaS batch by default: many customers, each call's records spread over them.
    int customers = Integer.parseInt(o.getOrDefault("customers", "200000"));

    LoadCatalog.Order order = LoadCatalog.Order.valueOf(o.getOrDefault("order", "spread").toUpperCase(Locale.ROOT));
    LoadCatalog catalog = new LoadCatalog(customers, 1000, 200, Instant.now(), order);
    Files.createDirectories(work);
    Path dir = Files.createTempDirectory(work, "meterbridge-load-");
    String url = db.equals("postgres") ? Databases.freshPostgresSchema(pgUrl, "bench_load") : null;
    Path data = dir.resolve("data");
    Measurement m;
    try {
      Databases.prefill(data, url, prefill, catalog.firstHour);
      if (target.equals("store")) {
        m = storeRun(data, url, catalog, connections, warmup, duration, maxCalls);
      } else {
        Path seed = dir.resolve("seed.json");
        catalog.writeSeed(seed);
        List<String> serve = new ArrayList<>(List.of("--port", "0", "--seed", seed.toString(), "--throttling", "off",
            "--demo", "off"));
        serve.addAll(url == null ? List.of("--data", data.toString()) : List.of("--db", url));
        // More serve flags for A/B runs, such as --server-args "--audit off".
        serve.addAll(split(o.getOrDefault("server-args", "")));
        Path log = Path.of(o.getOrDefault("server-log", dir.resolve("server.log").toString()));
        try (ServerProcess server = ServerProcess.start(jar, jvm, serve, log)) {
          m = new Measurement(server.pid());
          HttpDriver driver = new HttpDriver(server.address(), catalog, workload, connections, m);
          driver.connect();
          Thread timer = startWindow(m, warmup, jfr == null ? null : () -> {
            try {
              server.jcmd("JFR.start", "name=load", "settings=profile", "filename=" + jfr);
            } catch (Exception e) {
              System.err.println("JFR.start failed: " + e);
            }
          });
          if (mode.equals("open")) {
            driver.runOpen(rate, TimeUnit.SECONDS.toNanos(warmup + duration), maxCalls);
          } else {
            driver.runClosed(TimeUnit.SECONDS.toNanos(warmup + duration), maxCalls);
          }
          timer.join();
          m.end();
          if (jfr != null) {
            server.jcmd("JFR.stop", "name=load");
          }
        }
      }
    } finally {
      deleteTree(dir);
      if (url != null) {
        Databases.dropPostgresSchema(pgUrl, "bench_load");
      }
    }
    String row = row(label, m, connections, mode.equals("open") ? rate : 0);
    System.out.println(row);
    if (results != null) {
      Files.writeString(results, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    if (m.calls == 0) {
      System.err.println("no call succeeded: " + m.failureText());
      System.exit(1);
    }
  }

  private static Measurement storeRun(Path data, String url, LoadCatalog catalog, int callers, long warmup,
      long duration, long maxCalls) throws InterruptedException {
    Measurement m = new Measurement(-1);
    try (Store store = Stores.open(Databases.storeConfig(data, url))) {
      StoreDriver driver = new StoreDriver(store, catalog, callers, m);
      Thread timer = startWindow(m, warmup, null);
      driver.run(TimeUnit.SECONDS.toNanos(warmup + duration), maxCalls);
      timer.join();
      m.end();
    }
    return m;
  }

  /** Begins the measured window after the warm-up, on its own thread. */
  private static Thread startWindow(Measurement m, long warmupSeconds, Runnable atStart) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
      } catch (InterruptedException e) {
        return;
      }
      m.begin();
      if (atStart != null) {
        atStart.run();
      }
    }, "window");
    t.setDaemon(true);
    t.start();
    return t;
  }

  static final String HEADER = "| run | records/s | calls/s | p50 ms | p99 ms | p99.9 ms | failures | server CPU (cores) "
      + "| server CPU µs/record | generator CPU (cores) | machine busy | server RSS / peak MB | load avg "
      + "| server CPU µs/record without the JIT compiler |\n"
      + "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|";

  private static String row(String label, Measurement m, int connections, double rate) {
    return String.format(Locale.ROOT, "| %s (%s) | %,.0f | %,.0f | %.2f | %.2f | %.2f | %s | %.2f | %s | %.2f | %.0f %% | %d / %d | %s | %s |",
        label, rate > 0 ? String.format(Locale.ROOT, "%.0f calls/s offered, ≤ %d connections", rate, connections)
            : connections + " callers",
        m.recordsPerSecond(), m.callsPerSecond(), m.percentileMillis(50), m.percentileMillis(99),
        m.percentileMillis(99.9), m.failureText(), m.serverCpuSeconds / m.windowSeconds,
        cpuPerRecord(m, m.serverCpuSeconds), m.ownCpuSeconds / m.windowSeconds, 100 * m.hostBusy, m.serverRssKb / 1024, m.serverHwmKb / 1024,
        m.loadAverage, cpuPerRecord(m, m.serverCpuSeconds - m.serverJitSeconds));
  }

  /**
   * The server's CPU time over the records it stored in the window, in microseconds: the figure that
   * contention on a shared machine moves least. "n/a" for store runs, which have no server process.
   */
  private static String cpuPerRecord(Measurement m, double cpuSeconds) {
    double records = m.recordsPerSecond() * m.windowSeconds;
    if (m.serverCpuSeconds <= 0 || records <= 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.1f", cpuSeconds * 1e6 / records);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

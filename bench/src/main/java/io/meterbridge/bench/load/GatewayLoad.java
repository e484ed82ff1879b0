package io.meterbridge.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's benchmarks, each against {@code meterbridge.jar gateway} in a child process with the
 * launcher's JVM flags:
 *
 * <pre>
 * java -cp cli/target/meterbridge.jar:bench/target/benchmarks.jar io.meterbridge.bench.load.GatewayLoad \
 *     --mode ingest --db sqlite --connections 8 --warmup 10 --duration 30
 * </pre>
 *
 * <ul>
 *   <li>{@code --mode ingest}: POST /v1/usage with 100-event calls from {@code --connections} kept-alive
 *       sockets in a closed loop; events of the current hour over {@code --customers} customers and 2
 *       dimensions, every id new. Reports accepted (durable) events a second.
 *   <li>{@code --mode forward}: a Meterbridge server with the published quota ({@code --quota} calls a
 *       second for BatchMeterUsage) as the upstream; a backlog of {@code 2 x --customers} records of
 *       the current hour, closed at once by time travel; reports the BatchMeterUsage calls a second
 *       the gateway sustains until the backlog is gone, against the quota.
 *   <li>{@code --mode memory}: {@code --records} events, each into a record of its own (all open),
 *       then the gateway's resident memory.
 * </ul>
 *
 * One markdown row goes to stdout (and is appended to {@code --results}).
 */
public final class GatewayLoad {
  private static final String TOKEN = "bench-ingest-token-0123456789";
  private static final String ADMIN_TOKEN = "bench-admin-token-0123456789";
  private static final String SELLER = "111111111111";
  private static final String KEY = "AKIDBENCHSELLER";
  private static final String SECRET = "bench-seller-secret";
  private static final String PRODUCT = "prod-bench";
  private static final int EVENTS_PER_CALL = 100;

  private GatewayLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String mode = o.getOrDefault("mode", "ingest");
    String db = o.getOrDefault("db", "sqlite");
    String pgUrl = o.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
    long warmup = Long.parseLong(o.getOrDefault("warmup", "10"));
    long duration = Long.parseLong(o.getOrDefault("duration", "30"));
    int customers = Integer.parseInt(o.getOrDefault("customers", "1000"));
    double quota = Double.parseDouble(o.getOrDefault("quota", "10"));
    long records = Long.parseLong(o.getOrDefault("records", "1000000"));
    Path jar = Path.of(o.getOrDefault("jar", "cli/target/meterbridge.jar"));
    List<String> jvm = split(o.getOrDefault("gateway-jvm", ""));
    Path results = o.containsKey("results") ? Path.of(o.get("results")) : null;
    Path work = Path.of(o.getOrDefault("work-dir", System.getProperty("java.io.tmpdir")));
    String label = o.getOrDefault("label", "gateway " + mode + " " + db);

    Files.createDirectories(work);
    Path dir = Files.createTempDirectory(work, "meterbridge-gateway-load-");
    Path catalog = dir.resolve("catalog.json");
    Files.writeString(catalog, "{\"products\":[{\"productCode\":\"" + PRODUCT + "\",\"type\":\"SAAS\","
        + "\"dimensions\":[\"calls\",\"bytes\"]}]}");
    String schema = "bench_gateway";
    String url = db.equals("postgres") ? Databases.freshPostgresSchema(pgUrl, schema) : null;
    List<String> gatewayArgs = new ArrayList<>(List.of("--port", "0", "--catalog", catalog.toString(),
        "--quota", Double.toString(quota)));
    gatewayArgs.addAll(url == null ? List.of("--data", dir.resolve("gateway").toString()) : List.of("--db", url));
    Map<String, String> env = Map.of("METERBRIDGE_INGEST_TOKEN", TOKEN, "AWS_ACCESS_KEY_ID", KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_REGION", "us-east-1");
    String row;
    try {
      row = switch (mode) {
        case "ingest" -> ingest(jar, jvm, gatewayArgs, env, dir, label, connections, customers, warmup, duration);
        case "forward" -> forward(jar, jvm, gatewayArgs, env, dir, label, customers, quota, duration);
        case "memory" -> memory(jar, jvm, gatewayArgs, env, dir, label, connections, records);
        default -> throw new IllegalArgumentException("unknown --mode " + mode + ": ingest, forward or memory");
      };
    } finally {
      if (url != null) {
        Databases.dropPostgresSchema(pgUrl, schema);
      }
    }
    System.out.println(row);
    if (results != null) {
      Files.writeString(results, row + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  // ------------------------------------------------------------------------------------------ ingest

  private static String ingest(Path jar, List<String> jvm, List<String> args, Map<String, String> env, Path dir,
      String label, int connections, int customers, long warmup, long duration) throws Exception {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--upstream-endpoint", "http://127.0.0.1:9")); // nothing closes: no forwarding
    try (ServerProcess gateway = ServerProcess.start(jar, jvm, "gateway", a, env, dir.resolve("gateway.log"))) {
      Driver driver = new Driver(gateway.address(), connections, customers, Instant.now());
      driver.start();
      Thread.sleep(warmup * 1000);
      long events0 = driver.accepted.get();
      long calls0 = driver.calls.get();
      ProcStats.Cpu cpu0 = ProcStats.cpu(gateway.pid());
      ProcStats.Host host0 = ProcStats.host();
      long t0 = System.nanoTime();
      Thread.sleep(duration * 1000);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long events = driver.accepted.get() - events0;
      long calls = driver.calls.get() - calls0;
      double cpu = ProcStats.cpu(gateway.pid()).secondsSince(cpu0) / seconds;
      double busy = ProcStats.host().busyFraction(host0);
      long[] mem = ProcStats.memoryKb(gateway.pid());
      driver.stop();
      return String.format(Locale.ROOT, "| %s | %,.0f events/s | %,.0f calls/s | %s | %.2f cores | %.0f %% |"
          + " %d / %d MB | %s |", label, events / seconds, calls / seconds, driver.failures(), cpu, busy * 100,
          mem[0] / 1024, mem[1] / 1024, ProcStats.loadAverage());
    }
  }

  /** Closed-loop ingest callers on kept-alive sockets, every event id new. */
  static final class Driver {
    private final InetSocketAddress address;
    private final int connections;
    private final int customers;
    private final Instant at;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong notAccepted = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private volatile String lastError = "";
    private long limit = Long.MAX_VALUE;

    Driver(InetSocketAddress address, int connections, int customers, Instant at) {
      this.address = address;
      this.connections = connections;
      this.customers = customers;
      this.at = at;
    }

    /** Stops after {@code events} events in all (each caller sends its share). */
    Driver limit(long events) {
      this.limit = events;
      return this;
    }

    void start() {
      for (int i = 0; i < connections; i++) {
        int caller = i;
        Thread t = new Thread(() -> run(caller), "ingest-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(60_000);
      }
    }

    void join() throws InterruptedException {
      for (Thread t : threads) {
        t.join();
      }
    }

    String failures() {
      long bad = notAccepted.get() + errors.get();
      return bad == 0 ? "0" : notAccepted.get() + " not accepted, " + errors.get() + " failed calls (" + lastError + ")";
    }

    private void run(int caller) {
      String host = address.getHostString() + ":" + address.getPort();
      long sent = 0;
      long share = limit == Long.MAX_VALUE ? Long.MAX_VALUE : (limit + connections - 1) / connections;
      String timestamp = at.truncatedTo(ChronoUnit.MILLIS).toString();
      StringBuilder body = new StringBuilder(EVENTS_PER_CALL * 200);
      byte[] buffer = new byte[64 * 1024];
      while (running.get() && sent < share) {
        try (Socket socket = new Socket()) {
          socket.setTcpNoDelay(true);
          socket.connect(address, 5_000);
          OutputStream out = socket.getOutputStream();
          InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
          while (running.get() && sent < share) {
            int n = (int) Math.min(EVENTS_PER_CALL, share - sent);
            body.setLength(0);
            body.append("{\"events\":[");
            for (int i = 0; i < n; i++) {
              long id = sent + i;
              // The callers' events interleave: event g of all is (customer g/2, dimension g%2), so the
              // first 2 x customers events hit every record once, and later ones go round again.
              long g = id * connections + caller;
              long customer = (g / 2) % customers;
              body.append(i == 0 ? "" : ",").append("{\"id\":\"c").append(caller).append('-').append(id)
                  .append("\",\"productCode\":\"").append(PRODUCT).append("\",\"customerAWSAccountId\":\"")
                  .append(100_000_000_000L + customer).append("\",\"dimension\":\"")
                  .append((g & 1) == 0 ? "calls" : "bytes").append("\",\"quantity\":").append(1 + (id % 5))
                  .append(",\"timestamp\":\"").append(timestamp).append("\"}");
            }
            body.append("]}");
            byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1/usage HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            String response = readResponse(in, buffer);
            calls.incrementAndGet();
            int ok = count(response, "\"status\":\"accepted\"");
            accepted.addAndGet(ok);
            if (ok != n) {
              notAccepted.addAndGet(n - ok);
              lastError = response.length() > 300 ? response.substring(0, 300) : response;
            }
            sent += n;
          }
        } catch (IOException e) {
          errors.incrementAndGet();
          lastError = e.toString();
        }
      }
    }

    private static int count(String s, String what) {
      int n = 0;
      for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
        n++;
      }
      return n;
    }

    /** Reads one HTTP/1.1 response framed by Content-Length; returns its body. */
    private static String readResponse(InputStream in, byte[] buffer) throws IOException {
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      Matcher m = CONTENT_LENGTH.matcher(head);
      if (!m.find()) {
        throw new IOException("no Content-Length in " + head);
      }
      int length = Integer.parseInt(m.group(1));
      byte[] body = length <= buffer.length ? buffer : new byte[length];
      int read = 0;
      while (read < length) {
        int r = in.read(body, read, length - read);
        if (r < 0) {
          throw new IOException("connection closed mid-body");
        }
        read += r;
      }
      if (!head.toString().startsWith("HTTP/1.1 200")) {
        throw new IOException(head.substring(0, head.indexOf("\r\n")) + ": " + new String(body, 0, length,
            StandardCharsets.UTF_8));
      }
      return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");
  }

  // ----------------------------------------------------------------------------------------- forward

  private static String forward(Path jar, List<String> jvm, List<String> args, Map<String, String> env, Path dir,
      String label, int customers, double quota, long duration) throws Exception {
    Path seed = dir.resolve("seed.json");
    StringBuilder subscriptions = new StringBuilder();
    for (int i = 0; i < customers; i++) {
      subscriptions.append(i == 0 ? "" : ",").append("{\"productCode\":\"").append(PRODUCT)
          .append("\",\"customerAWSAccountId\":\"").append(String.format("%012d", 100_000_000_000L + i)).append("\"}");
    }
    Files.writeString(seed, "{\"accounts\":[{\"accountId\":\"" + SELLER + "\",\"accessKeys\":[{\"accessKeyId\":\""
        + KEY + "\",\"secretAccessKey\":\"" + SECRET + "\"}]}],\"products\":[{\"productCode\":\"" + PRODUCT
        + "\",\"seller\":\"" + SELLER + "\",\"type\":\"SAAS\",\"dimensions\":[\"calls\",\"bytes\"]}],"
        + "\"subscriptions\":[" + subscriptions + "]}");
    List<String> serve = List.of("--port", "0", "--seed", seed.toString(), "--demo", "off", "--data",
        dir.resolve("upstream").toString(), "--rate", "BatchMeterUsage=" + quota);
    try (ServerProcess upstream = ServerProcess.start(jar, jvm, serve, dir.resolve("upstream.log"))) {
      List<String> a = new ArrayList<>(args);
      a.addAll(List.of("--upstream-endpoint", "http://" + upstream.address().getHostString() + ":"
          + upstream.address().getPort(), "--admin-token", ADMIN_TOKEN));
      try (ServerProcess gateway = ServerProcess.start(jar, jvm, "gateway", a, env, dir.resolve("gateway.log"))) {
        // The backlog: every customer's two dimensions in the current hour, all open...
        Driver d = new Driver(gateway.address(), 4, customers, Instant.now()).limit(2L * customers);
        d.start();
        d.join();
        // ...then closed at once by time travel (the records keep their real hour, which the upstream accepts).
        String base = "http://" + gateway.address().getHostString() + ":" + gateway.address().getPort();
        long toClose = Duration.between(Instant.now(), Instant.now().truncatedTo(ChronoUnit.HOURS)
            .plus(Duration.ofMinutes(71))).toSeconds();
        post(base + "/admin/clock", "{\"shiftSeconds\":" + toClose + "}");
        long backlog = count(base, "closed") + count(base, "sending") + count(base, "sent");
        awaitSent(base, 1, Duration.ofSeconds(60));
        // Measured from the first answer until the backlog is nearly gone (its last call may be partial).
        long sent0 = sent(base);
        long t0 = System.nanoTime();
        long until = t0 + duration * 1_000_000_000L;
        long sent1 = sent0;
        while (System.nanoTime() < until && sent1 < backlog - 25) {
          Thread.sleep(50);
          sent1 = sent(base);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double callsPerSecond = (sent1 - sent0) / 25.0 / seconds;
        return String.format(Locale.ROOT, "| %s | %,d records | %.2f calls/s of %.1f | **%.1f %%** | %.1f s |"
            + " %s |", label, backlog, callsPerSecond, quota, 100 * callsPerSecond / quota, seconds,
            ProcStats.loadAverage());
      }
    }
  }

  private static void post(String url, String body) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static long sent(String base) throws IOException, InterruptedException {
    return count(base, "sent");
  }

  /** The records in {@code state}, from the gateway's status. */
  private static long count(String base, String state) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/usage/status"))
            .header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("\"" + state + "\":(\\d+)").matcher(r.body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static void awaitSent(String base, long count, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (sent(base) < count) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("nothing sent within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  // ------------------------------------------------------------------------------------------ memory

  private static String memory(Path jar, List<String> jvm, List<String> args, Map<String, String> env, Path dir,
      String label, int connections, long records) throws Exception {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--upstream-endpoint", "http://127.0.0.1:9"));
    try (ServerProcess gateway = ServerProcess.start(jar, jvm, "gateway", a, env, dir.resolve("gateway.log"))) {
      // One event per record: records/2 customers times 2 dimensions, all in the current hour.
      Driver d = new Driver(gateway.address(), connections, (int) (records / 2), Instant.now()).limit(records);
      long t0 = System.nanoTime();
      d.start();
      d.join();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(5_000); // let the JVM settle after the burst
      String base = "http://" + gateway.address().getHostString() + ":" + gateway.address().getPort();
      long open = count(base, "open");
      long[] mem = ProcStats.memoryKb(gateway.pid());
      return String.format(Locale.ROOT, "| %s | %,d open records | RSS %d MB (peak %d MB) | ingested in %.0f s |"
          + " failures %s | %s |", label, open, mem[0] / 1024, mem[1] / 1024, seconds, d.failures(),
          ProcStats.loadAverage());
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + Arrays.toString(args));
      }
      o.put(args[i].substring(2), args[++i]);
    }
    return o;
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }
}

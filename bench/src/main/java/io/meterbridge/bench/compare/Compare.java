package io.meterbridge.bench.compare;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Our client against the AWS SDK for Java v2: the same calls against the same {@link CannedServer},
 * each client in JVMs of its own ({@link ClientRun}) on its own runtime closure. Prints a markdown
 * summary and writes it, with every raw result line, to the output folder.
 *
 * <pre>
 * Compare [--quick] --harness BENCH_JAR --classpath-dir DIR [--out DIR] [--clients sdk,meterbridge]
 * </pre>
 *
 * <p>{@code --classpath-dir} holds {@code meterbridge.txt} and {@code sdk.txt}, each client's
 * resolved runtime class path (written by the bench module's build). No figure is checked against
 * its target: this reports, it does not fail.
 */
public final class Compare {
  private static final Map<String, String> TITLES = Map.of("meterbridge", "Meterbridge", "sdk", "AWS SDK v2");

  private final boolean quick;
  private final Path harness;
  private final Path classpathDir;
  private final Path out;
  private final List<String> clients;
  private final int firstCallRuns;
  private final int steadyRuns;
  private final double warmupSeconds;
  private final double measureSeconds;
  private final List<String> raw = new ArrayList<>();

  private Compare(boolean quick, Path harness, Path classpathDir, Path out, List<String> clients) {
    this.quick = quick;
    this.harness = harness;
    this.classpathDir = classpathDir;
    this.out = out;
    this.clients = clients;
    this.firstCallRuns = quick ? 3 : 5;
    this.steadyRuns = quick ? 1 : 3;
    this.warmupSeconds = quick ? 2 : 30;
    this.measureSeconds = quick ? 2 : 10;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path harness = null;
    Path classpathDir = null;
    Path out = Paths.get("bench/results");
    List<String> clients = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--harness" -> harness = Paths.get(args[++i]);
        case "--classpath-dir" -> classpathDir = Paths.get(args[++i]);
        case "--out" -> out = Paths.get(args[++i]);
        case "--clients" -> clients = List.of(args[++i].split(","));
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
    }
    if (harness == null || classpathDir == null) {
      System.err.println("usage: Compare [--quick] --harness BENCH_JAR --classpath-dir DIR [--out DIR]"
          + " [--clients sdk,meterbridge]");
      System.exit(2);
    }
    if (clients == null) {
      clients = wiredClients();
    }
    Files.createDirectories(out);
    new Compare(quick, harness, classpathDir, out, clients).run();
  }

  /** Both clients once our adapter exists; the SDK alone until then. */
  private static List<String> wiredClients() {
    try {
      Class.forName("io.meterbridge.bench.compare.MeterbridgeClient", false, Compare.class.getClassLoader());
      return List.of("meterbridge", "sdk");
    } catch (ClassNotFoundException e) {
      return List.of("sdk");
    }
  }

  private void run() throws Exception {
    String loadBefore = loadAverage();
    Map<String, Jars> jars = new LinkedHashMap<>();
    Map<String, List<Double>> firstCallInJvm = new LinkedHashMap<>();
    Map<String, List<Double>> firstCallExternal = new LinkedHashMap<>();
    Map<String, Map<String, List<Map<String, String>>>> steady = new LinkedHashMap<>();
    for (String client : clients) {
      jars.put(client, Jars.of(classpath(client)));
      firstCallInJvm.put(client, new ArrayList<>());
      firstCallExternal.put(client, new ArrayList<>());
      steady.put(client, new LinkedHashMap<>());
    }

    try (CannedServer server = CannedServer.start()) {
      String endpoint = server.endpoint().toString();
      // Alternate the order between runs so that neither client always runs on a warmer machine.
      for (int run = 0; run < firstCallRuns; run++) {
        for (String client : order(run)) {
          long start = System.nanoTime();
          List<Map<String, String>> results = child(client, start, "first-call", client, endpoint);
          firstCallInJvm.get(client).add(Double.parseDouble(results.get(0).get("first_call_ms")));
          firstCallExternal.get(client).add(Double.parseDouble(results.get(0).get("external_ms")));
        }
      }
      for (int run = 0; run < steadyRuns; run++) {
        for (String client : order(run)) {
          for (Map<String, String> result : child(client, System.nanoTime(), "steady", client, endpoint,
              Double.toString(warmupSeconds), Double.toString(measureSeconds))) {
            steady.get(client).computeIfAbsent(result.get("op"), op -> new ArrayList<>()).add(result);
          }
        }
      }
    }

    String summary = summary(jars, firstCallInJvm, firstCallExternal, steady)
        + "Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage()
        + ". On a shared machine, CPU times move less with load than wall times do.\n";
    System.out.print(summary);
    Files.writeString(out.resolve("compare.md"), summary);
    Files.write(out.resolve("compare-raw.txt"), raw);
  }

  /** The host's load average, so a reader can tell a quiet run from a contended one. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private List<String> order(int run) {
    List<String> order = new ArrayList<>(clients);
    if (run % 2 == 1) {
      java.util.Collections.reverse(order);
    }
    return order;
  }

  private List<Path> classpath(String client) {
    Path file = classpathDir.resolve(client + ".txt");
    try {
      String text = Files.readString(file).strip();
      List<Path> paths = new ArrayList<>();
      for (String entry : text.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          paths.add(Paths.get(entry));
        }
      }
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": build the bench module first", e);
    }
  }

  /**
   * Runs ClientRun in a fresh JVM and returns its RESULT lines; {@code external_ms} is added to the
   * first: the time from just before the process was spawned until that line arrived.
   */
  private List<Map<String, String>> child(String client, long spawnNanos, String... args) throws Exception {
    List<String> classpath = new ArrayList<>();
    classpath.add(harness.toString());
    classpath(client).forEach(p -> classpath.add(p.toString()));
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(ClientRun.class.getName());
    command.addAll(Arrays.asList(args));

    Path log = out.resolve("compare-" + client + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    List<Map<String, String>> results = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          Map<String, String> result = parse(line.substring("RESULT ".length()));
          if (results.isEmpty()) {
            result.put("external_ms", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - spawnNanos) / 1e6));
          }
          results.add(result);
          raw.add(client + " " + args[0] + " " + result);
        }
      }
    }
    if (!process.waitFor(quick ? 120 : 600, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(client + " " + args[0] + " did not finish; see " + log);
    }
    if (process.exitValue() != 0 || results.isEmpty()) {
      throw new IllegalStateException(client + " " + args[0] + " failed (exit " + process.exitValue()
          + "); see " + log);
    }
    return results;
  }

  private static Map<String, String> parse(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : line.trim().split(" +")) {
      int eq = pair.indexOf('=');
      fields.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return fields;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double median(List<Map<String, String>> runs, String key) {
    List<Double> values = new ArrayList<>();
    for (Map<String, String> run : runs) {
      values.add(Double.parseDouble(run.get(key)));
    }
    return median(values);
  }

  private String summary(Map<String, Jars> jars, Map<String, List<Double>> firstCallInJvm,
      Map<String, List<Double>> firstCallExternal, Map<String, Map<String, List<Map<String, String>>>> steady) {
    StringBuilder text = new StringBuilder();
    text.append("## Client comparison").append(quick ? " (quick mode: indicative only)" : "").append("\n\n");
    text.append(String.format(Locale.ROOT, "Steady state: median of %d JVM(s) per client, each %.0f s warm-up"
            + " then %.0f s measured per operation. First call: median of %d fresh JVMs per client.%n%n",
        steadyRuns, warmupSeconds, measureSeconds, firstCallRuns));
    boolean both = clients.contains("meterbridge") && clients.contains("sdk");
    text.append("| measure |");
    for (String client : clients) {
      text.append(' ').append(TITLES.get(client)).append(" |");
    }
    text.append(both ? " ours / SDK | target |\n" : "\n");
    text.append("|---|").append("---:|".repeat(clients.size())).append(both ? "---:|---|\n" : "\n");

    for (String op : List.of("MeterUsage", "BatchMeterUsage")) {
      row(text, "CPU per " + op + " call, process (µs)", clients, c -> median(steady.get(c).get(op), "process_cpu_us"),
          "%.1f", both ? "≤ 0.50" : null, 0.5);
      row(text, "CPU per " + op + " call, calling thread (µs)", clients,
          c -> median(steady.get(c).get(op), "thread_cpu_us"), "%.1f", null, 0);
      row(text, "allocated per " + op + " call, all threads (bytes)", clients,
          c -> median(steady.get(c).get(op), "alloc_bytes"), "%.0f", both ? "≤ 0.33" : null, 1.0 / 3);
      row(text, "allocated per " + op + " call, calling thread (bytes)", clients,
          c -> median(steady.get(c).get(op), "thread_alloc_bytes"), "%.0f", null, 0);
      row(text, "wall time per " + op + " call (µs)", clients, c -> median(steady.get(c).get(op), "wall_us"),
          "%.1f", null, 0);
    }
    row(text, "JVM start → first MeterUsage done, in-JVM (ms)", clients, c -> median(firstCallInJvm.get(c)),
        "%.0f", both ? "≤ 0.50" : null, 0.5);
    row(text, "process spawn → first MeterUsage done, external (ms)", clients,
        c -> median(firstCallExternal.get(c)), "%.0f", null, 0);
    row(text, "runtime jars (count)", clients, c -> (double) jars.get(c).count(), "%.0f", null, 0);
    row(text, "runtime jars (MB)", clients, c -> jars.get(c).bytes() / 1e6, "%.2f", null, 0);
    if (clients.contains("sdk")) {
      Jars sync = jars.get("sdk").withoutNetty();
      text.append(String.format(Locale.ROOT, "%nThe SDK's closure as Maven resolves it includes the async Netty"
          + " client; excluding it (netty-nio-client and io.netty) leaves %d jars, %.2f MB.%n",
          sync.count(), sync.bytes() / 1e6));
    }
    if (clients.contains("meterbridge")) {
      double ours = jars.get("meterbridge").bytes() / 1e6;
      text.append(String.format(Locale.ROOT, "Our runtime jars: %.2f MB against a target of ≤ 2 MB: %s.%n",
          ours, ours <= 2 ? "met" : "missed"));
    } else {
      text.append("\nOur client is not wired into the comparison yet (MeteringClient is not on main).\n");
    }
    text.append("\nRaw per-run figures: compare-raw.txt; child JVM stderr: compare-<client>.log.\n");
    return text.toString();
  }

  private interface Measure {
    double of(String client);
  }

  private static void row(StringBuilder text, String label, List<String> clients, Measure measure, String format,
      String target, double limit) {
    text.append("| ").append(label).append(" |");
    for (String client : clients) {
      text.append(' ').append(String.format(Locale.ROOT, format, measure.of(client))).append(" |");
    }
    if (clients.contains("meterbridge") && clients.contains("sdk")) {
      double ratio = measure.of("meterbridge") / measure.of("sdk");
      text.append(String.format(Locale.ROOT, " %.2f |", ratio));
      text.append(target == null ? " |" : " " + target + (ratio <= limit ? " met" : " **missed**") + " |");
    }
    text.append('\n');
  }

  /** A client's runtime class path: its jars (or, for an unpackaged module, class folders). */
  private record Jars(List<Path> paths, long bytes) {
    static Jars of(List<Path> paths) {
      long bytes = 0;
      for (Path path : paths) {
        bytes += size(path);
      }
      return new Jars(paths, bytes);
    }

    int count() {
      return paths.size();
    }

    Jars withoutNetty() {
      return of(paths.stream()
          .filter(p -> !p.toString().contains("netty"))
          .toList());
    }

    private static long size(Path path) {
      try {
        if (Files.isDirectory(path)) {
          try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
          }
        }
        return Files.size(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

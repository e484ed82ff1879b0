package io.meterbridge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code meterbridge gateway} (or {@code serve}) in a JVM of its own, started from the test class
 * path with the jar's main class, so that a test can stop it with SIGTERM or kill it with SIGKILL.
 * Its log goes to a file; its port is read from the banner.
 */
final class GatewayProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;
  private final Thread drain;

  private GatewayProcess(Process process, int port, Thread drain) {
    this.process = process;
    this.port = port;
    this.drain = drain;
  }

  static GatewayProcess start(Map<String, String> env, Path log, String... args) throws IOException {
    return startCommand("gateway", env, log, args);
  }

  /** Starts {@code meterbridge COMMAND --port 0 ARGS...}, stdout and stderr into {@code log}. */
  static GatewayProcess startCommand(String subcommand, Map<String, String> env, Path log, String... args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        MeterbridgeCommand.class.getName(), subcommand, "--port", "0"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      append(log, line);
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        // Keep draining the child's output (into the log) so that it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> append(log, l)));
        drain.setDaemon(true);
        drain.start();
        return new GatewayProcess(process, Integer.parseInt(m.group(1)), drain);
      }
    }
    throw new IllegalStateException("the gateway process ended before listening (exit " + waitFor(process)
        + "); see " + log);
  }

  private static void append(Path log, String line) {
    try {
      java.nio.file.Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int waitFor(Process p) {
    try {
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no final commit, leases left behind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits for the clean stop. */
  int stop() throws InterruptedException {
    // Through the handle: Process.destroy() also closes our end of the child's stdout, which would
    // lose (and fail) whatever the child prints while it stops.
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    drain.join(10_000); // the last lines of its output, into the log
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }
}

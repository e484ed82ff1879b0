package io.meterbridge.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java [jvm options] -jar meterbridge.jar serve --port 0 ...} (or {@code gateway}) as a child process: started,
 * waited for until its banner names the port, its output copied to a log file, stopped with
 * SIGTERM (the server's clean shutdown), killed if it does not stop within 30 seconds.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://([^:/]+):(\\d+)");

  private final Process process;
  private final InetSocketAddress address;

  private ServerProcess(Process process, InetSocketAddress address) {
    this.process = process;
    this.address = address;
  }

  static ServerProcess start(Path jar, List<String> jvmOptions, List<String> serveArgs, Path log)
      throws IOException, InterruptedException {
    return start(jar, jvmOptions, "serve", serveArgs, java.util.Map.of(), log);
  }

  /** {@code meterbridge <subcommand> args} (serve or gateway) with {@code env} added to the environment. */
  static ServerProcess start(Path jar, List<String> jvmOptions, String subcommand, List<String> args,
      java.util.Map<String, String> env, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.add(subcommand);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process p = builder.start();
    CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
        out.println("$ " + String.join(" ", command));
        String line;
        while ((line = in.readLine()) != null) {
          out.println(line);
          Matcher m = LISTENING.matcher(line);
          if (!listening.isDone() && m.find()) {
            listening.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IllegalStateException("the server exited before listening; see " + log));
    }, "server-output");
    pump.setDaemon(true);
    pump.start();
    try {
      return new ServerProcess(p, listening.get(120, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("server did not start: " + e.getMessage() + " (log: " + log + ")", e);
    }
  }

  long pid() {
    return process.pid();
  }

  InetSocketAddress address() {
    return address;
  }

  /** Runs a jcmd command against the server (e.g. JFR.start), output to stderr. */
  void jcmd(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    command.add(Long.toString(pid()));
    command.addAll(List.of(args));
    new ProcessBuilder(command).inheritIO().redirectOutput(ProcessBuilder.Redirect.to(new java.io.File("/dev/stderr")))
        .start().waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

package io.meterbridge.server.e2e;

import java.nio.file.Path;

/**
 * A test server in a JVM of its own, so that a test can kill it with SIGKILL. Prints
 * {@code PORT <n>} once it listens, then serves until killed.
 */
public final class CrashServerMain {
  private CrashServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    // "postgres:<schema>" runs on that schema of the test PostgreSQL; anything else is a SQLite directory.
    TestServer server = args[0].startsWith("postgres:")
        ? TestServer.postgres(args[0].substring("postgres:".length()), false)
        : TestServer.sqlite(Path.of(args[0]));
    System.out.println("PORT " + server.endpoint().substring(server.endpoint().lastIndexOf(':') + 1));
    System.out.flush();
    Thread.currentThread().join();
  }
}

package io.meterbridge.server.admin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A test server with the admin API in a JVM of its own (started with a small {@code -Xmx} by the
 * test), over the SQLite database in {@code args[0]}. Prints {@code PORT <n>} once it listens; then
 * answers each line {@code peak} on standard input with {@code PEAK <bytes>}: the sum of the heap
 * pools' peak usage since the last {@code reset}.
 */
public final class ReportServerMain {
  private ReportServerMain() {}

  public static void main(String[] args) throws Exception {
    AdminTestServer server = AdminTestServer.sqlite(Path.of(args[0]));
    System.out.println("PORT " + server.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          if (line.equals("reset")) {
            pool.resetPeakUsage();
          } else {
            peak += pool.getPeakUsage().getUsed();
          }
        }
      }
      System.out.println("PEAK " + peak);
      System.out.flush();
    }
    server.close();
  }
}

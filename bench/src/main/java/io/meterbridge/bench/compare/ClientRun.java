package io.meterbridge.bench.compare;

import io.meterbridge.bench.Workload;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One client in a fresh JVM, started by {@link Compare}; prints {@code RESULT key=value ...} lines.
 *
 * <pre>
 * ClientRun first-call CLIENT ENDPOINT
 * ClientRun steady     CLIENT ENDPOINT WARMUP_SECONDS MEASURE_SECONDS
 * </pre>
 *
 * <p>{@code first-call} builds the client and completes one MeterUsage call, then reports the
 * milliseconds since the JVM's recorded start time. {@code steady} warms each operation up, then
 * calls it for the measuring time and reports per call: the process's CPU time (every thread,
 * GC and JIT included), the calling thread's CPU time, bytes allocated by every live thread and by
 * the calling thread alone, and wall time.
 */
public final class ClientRun {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ClientRun() {}

  public static void main(String[] args) {
    String mode = args[0];
    String name = args[1];
    URI endpoint = URI.create(args[2]);
    switch (mode) {
      case "first-call" -> firstCall(name, endpoint);
      case "steady" -> steady(name, endpoint, Double.parseDouble(args[3]), Double.parseDouble(args[4]));
      default -> throw new IllegalArgumentException("unknown mode: " + mode);
    }
  }

  private static void firstCall(String name, URI endpoint) {
    try (ClientUnderTest client = ClientUnderTest.create(name, endpoint)) {
      String id = client.meterUsage();
      long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      check(Workload.meteringRecordId(0).equals(id), "unexpected MeteringRecordId: " + id);
      System.out.println("RESULT first_call_ms=" + sinceStart);
      System.out.flush();
    }
  }

  private static void steady(String name, URI endpoint, double warmupSeconds, double measureSeconds) {
    try (ClientUnderTest client = ClientUnderTest.create(name, endpoint)) {
      measure("MeterUsage", client, c -> {
        String id = c.meterUsage();
        check(Workload.meteringRecordId(0).equals(id), "unexpected MeteringRecordId: " + id);
        return 1;
      }, warmupSeconds, measureSeconds);
      measure("BatchMeterUsage", client, c -> {
        int results = c.batchMeterUsage();
        check(results == Workload.RECORDS, "expected 25 results, got " + results);
        return 1;
      }, warmupSeconds, measureSeconds);
    }
  }

  private static void measure(String operation, ClientUnderTest client, ToIntFunction<ClientUnderTest> call,
      double warmupSeconds, double measureSeconds) {
    loop(client, call, warmupSeconds);
    System.gc(); // start the measured interval with an empty young generation

    Map<Long, Long> allocatedBefore = allocatedByThread();
    long gcCountBefore = gcCount();
    long gcMillisBefore = gcMillis();
    long processCpuBefore = OS.getProcessCpuTime();
    long threadCpuBefore = THREADS.getCurrentThreadCpuTime();
    long threadAllocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long wallBefore = System.nanoTime();

    long calls = loop(client, call, measureSeconds);

    long wall = System.nanoTime() - wallBefore;
    long threadAllocated = THREADS.getCurrentThreadAllocatedBytes() - threadAllocatedBefore;
    long threadCpu = THREADS.getCurrentThreadCpuTime() - threadCpuBefore;
    long processCpu = OS.getProcessCpuTime() - processCpuBefore;
    long gcCount = gcCount() - gcCountBefore;
    long gcMillis = gcMillis() - gcMillisBefore;
    long allocated = allocatedSince(allocatedBefore);

    System.out.printf("RESULT op=%s calls=%d wall_us=%.2f process_cpu_us=%.2f thread_cpu_us=%.2f"
            + " alloc_bytes=%d thread_alloc_bytes=%d gc_count=%d gc_ms=%d threads=%d%n",
        operation, calls, wall / 1e3 / calls, processCpu / 1e3 / calls, threadCpu / 1e3 / calls,
        allocated / calls, threadAllocated / calls, gcCount, gcMillis, THREADS.getThreadCount());
    System.out.flush();
  }

  private static long loop(ClientUnderTest client, ToIntFunction<ClientUnderTest> call, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long calls = 0;
    do {
      calls += call.applyAsInt(client);
    } while (System.nanoTime() < end);
    return calls;
  }

  private static Map<Long, Long> allocatedByThread() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  /**
   * Bytes allocated since {@code before} by the threads alive now. A thread that ended in between
   * takes its count with it; the run's thread count is reported so that churn would show.
   */
  private static long allocatedSince(Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> now : allocatedByThread().entrySet()) {
      total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
    }
    return total;
  }

  private static long gcCount() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
  }

  private static long gcMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, gc.getCollectionTime());
    }
    return millis;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}

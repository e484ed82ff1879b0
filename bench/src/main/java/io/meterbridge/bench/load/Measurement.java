package io.meterbridge.bench.load;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: calls and records answered inside the measured window (after the
 * warm-up), latency from each call's intended send time (HdrHistogram, microseconds), failures by
 * code, and the CPU of the server process, of this process and of the whole machine over the window.
 * Recording methods are called from one thread (the driver's event loop or the store's completion
 * thread); {@link #begin} and {@link #end} from the main thread.
 */
final class Measurement {
  private final Histogram latency = new Histogram(120_000_000L, 3);
  private final Map<String, Long> failures = new TreeMap<>();
  private final long serverPid;
  private volatile long windowStart = Long.MAX_VALUE;
  private long lastCompletion;
  long calls;
  long records;
  long recordsNotStored;
  long failedCalls;

  private ProcStats.Cpu serverCpuStart;
  private ProcStats.Cpu serverJitStart;
  private long ownCpuStart;
  private ProcStats.Host hostStart;
  private long beganAt;
  private long endedAt;
  double serverCpuSeconds;
  /** Of {@link #serverCpuSeconds}, the JIT compiler threads' part. */
  double serverJitSeconds;
  double ownCpuSeconds;
  double hostBusy;
  long serverRssKb;
  long serverHwmKb;
  double windowSeconds;
  String loadAverage;

  Measurement(long serverPid) {
    this.serverPid = serverPid;
  }

  void begin() {
    serverCpuStart = serverPid > 0 ? ProcStats.cpu(serverPid) : null;
    serverJitStart = serverPid > 0 ? ProcStats.compilerCpu(serverPid) : null;
    ownCpuStart = ownCpuNanos();
    hostStart = ProcStats.host();
    beganAt = System.nanoTime();
    windowStart = beganAt;
  }

  void end() {
    endedAt = Math.max(lastCompletion, beganAt + 1);
    windowSeconds = (endedAt - beganAt) / 1e9;
    ProcStats.Host host = ProcStats.host();
    hostBusy = host.busyFraction(hostStart);
    ownCpuSeconds = (ownCpuNanos() - ownCpuStart) / 1e9;
    if (serverPid > 0) {
      serverCpuSeconds = ProcStats.cpu(serverPid).secondsSince(serverCpuStart);
      serverJitSeconds = Math.max(0, ProcStats.compilerCpu(serverPid).secondsSince(serverJitStart));
      long[] mem = ProcStats.memoryKb(serverPid);
      serverRssKb = mem[0];
      serverHwmKb = mem[1];
    } else {
      long[] mem = ProcStats.memoryKb(ProcessHandle.current().pid());
      serverRssKb = mem[0];
      serverHwmKb = mem[1];
    }
    loadAverage = ProcStats.loadAverage();
  }

  void completed(long intendedNanos, long doneNanos, int stored, int notStored) {
    if (doneNanos < windowStart) {
      return;
    }
    lastCompletion = doneNanos;
    calls++;
    records += stored;
    recordsNotStored += notStored;
    if (notStored > 0) {
      failures.merge("record not Success", (long) notStored, Long::sum);
    }
    latency.recordValue(Math.max(0, Math.min((doneNanos - intendedNanos) / 1000, 120_000_000L)));
  }

  void failed(long intendedNanos, long doneNanos, String code, int recordCount) {
    if (doneNanos < windowStart) {
      failures.merge("(warm-up) " + code, 1L, Long::sum);
      return;
    }
    lastCompletion = doneNanos;
    failedCalls++;
    failures.merge(code, 1L, Long::sum);
    latency.recordValue(Math.max(0, Math.min((doneNanos - intendedNanos) / 1000, 120_000_000L)));
  }

  void error(String what) {
    failures.merge(what, 1L, Long::sum);
  }

  void timedOut(int calls) {
    failures.merge("no answer within 60 s after the end", (long) calls, Long::sum);
  }

  double recordsPerSecond() {
    return records / windowSeconds;
  }

  double callsPerSecond() {
    return (calls + failedCalls) / windowSeconds;
  }

  double percentileMillis(double p) {
    return latency.getValueAtPercentile(p) / 1000.0;
  }

  Map<String, Long> failures() {
    return failures;
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  String failureText() {
    if (failures.isEmpty()) {
      return "0";
    }
    StringBuilder s = new StringBuilder();
    failures.forEach((k, v) -> s.append(s.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
    return s.toString();
  }
}

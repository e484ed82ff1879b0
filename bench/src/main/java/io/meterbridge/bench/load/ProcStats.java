package io.meterbridge.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux {@code /proc} readings: a process's CPU time and memory, the machine's busy time. */
final class ProcStats {
  /** USER_HZ: the unit of the times in /proc/[pid]/stat and /proc/stat, 100 on every Linux we meet. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  record Cpu(long ticks) {
    double secondsSince(Cpu start) {
      return start == null ? Double.NaN : (ticks - start.ticks) / TICKS_PER_SECOND;
    }
  }

  record Host(long busy, long total) {
    double busyFraction(Host start) {
      long t = total - start.total;
      return t <= 0 ? Double.NaN : (double) (busy - start.busy) / t;
    }
  }

  /** utime + stime of a process (all its threads). */
  static Cpu cpu(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // After the name, field 3 (state) is f[0]; utime is field 14, stime field 15.
    return new Cpu(Long.parseLong(f[11]) + Long.parseLong(f[12]));
  }

  /**
   * utime + stime of a process's JIT compiler threads ({@code C1 CompilerThread*}, {@code C2
   * CompilerThread*}): the part of its CPU that is warm-up, not work per call. A compiler thread the
   * JVM retired meanwhile takes its time with it, so a difference may read low, never high.
   */
  static Cpu compilerCpu(long pid) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended while we listed
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
    }
    return new Cpu(ticks);
  }

  /** {VmRSS, VmHWM} in KiB. */
  static long[] memoryKb(long pid) {
    long rss = -1;
    long hwm = -1;
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", ""));
      } else if (line.startsWith("VmHWM:")) {
        hwm = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return new long[] {rss, hwm};
  }

  static Host host() {
    String[] f = read(Path.of("/proc/stat")).split("\n")[0].trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new Host(total - idle, total);
  }

  static String loadAverage() {
    String[] f = read(Path.of("/proc/loadavg")).trim().split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}

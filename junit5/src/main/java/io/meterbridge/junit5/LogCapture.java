package io.meterbridge.junit5;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the server's logs (its own, the connection pool's, the migrations', Netty's, all through
 * java.util.logging) out of the test output while an embedded server runs, and hands them out when
 * a test fails. One capture for the JVM, held by every running server: test classes running in
 * parallel share it, so a failure's log may show lines of another class's server too.
 *
 * <p>The loggers keep their levels; only where their records go changes. A test's own logging and
 * the client's (its wire log) are not touched.
 */
final class LogCapture {
  private static final String[] LOGGERS = {"io.meterbridge.server", "com.zaxxer.hikari", "org.flywaydb",
      "io.netty", "org.sqlite", "org.postgresql"};
  private static final int KEPT = 2_000;

  private static final Object LOCK = new Object();
  // java.util.logging holds loggers weakly: keep them so that the handler and the flag stick.
  private static final List<Logger> TAKEN = new ArrayList<>();
  private static final ArrayDeque<Entry> RECORDS = new ArrayDeque<>();
  private static int holders;
  private static long sequence;

  private record Entry(long sequence, String line) {}

  private static final Handler HANDLER = new Handler() {
    private final SimpleFormatter format = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      String line = format.format(record);
      synchronized (LOCK) {
        RECORDS.addLast(new Entry(++sequence, line));
        if (RECORDS.size() > KEPT) {
          RECORDS.removeFirst();
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogCapture() {}

  /** Starts capturing, if no one else has. Pair with {@link #release()}. */
  static void hold() {
    synchronized (LOCK) {
      if (holders++ == 0) {
        for (String name : LOGGERS) {
          Logger logger = Logger.getLogger(name);
          logger.setUseParentHandlers(false);
          logger.addHandler(HANDLER);
          TAKEN.add(logger);
        }
      }
    }
  }

  /**
   * Stops capturing when the last holder releases it; the loggers print as before. What was
   * captured stays for {@link #printSince}.
   */
  static void release() {
    synchronized (LOCK) {
      if (--holders == 0) {
        for (Logger logger : TAKEN) {
          logger.removeHandler(HANDLER);
          logger.setUseParentHandlers(true);
        }
        TAKEN.clear();
      }
    }
  }

  /** A position in the log: {@link #printSince} prints what came after it. */
  static long mark() {
    synchronized (LOCK) {
      return sequence;
    }
  }

  /** Prints the lines logged after {@code mark} (of the last {@value #KEPT}), under a heading. */
  static void printSince(long mark, String heading, PrintStream out) {
    List<String> lines = new ArrayList<>();
    boolean cut;
    synchronized (LOCK) {
      cut = !RECORDS.isEmpty() && RECORDS.peekFirst().sequence() > mark + 1;
      for (Entry e : RECORDS) {
        if (e.sequence() > mark) {
          lines.add(e.line());
        }
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder(heading).append(System.lineSeparator());
    if (cut) {
      text.append("(earlier lines dropped: only the last ").append(KEPT).append(" are kept)")
          .append(System.lineSeparator());
    }
    lines.forEach(text::append);
    out.print(text);
    out.flush();
  }
}

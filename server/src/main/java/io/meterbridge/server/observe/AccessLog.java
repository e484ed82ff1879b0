package io.meterbridge.server.observe;

import io.meterbridge.server.CallListener;
import io.meterbridge.server.CallRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, to standard output or appended to a file (format in
 * {@code docs/admin-api.md}, "Access log"):
 *
 * <pre>
 * 2026-12-04T19:30:00.123Z 127.0.0.1 6f1c...e2 "BatchMeterUsage" 200 - 111122223333 AKIAEXAMPLE 25 1.942
 * </pre>
 *
 * <p>time, source address, request id, operation (quoted), status, error code, account, access key
 * id, records, latency in milliseconds; {@code -} for what is unknown. The line is formatted on the
 * event loop and written by a thread of its own, which flushes whenever it has caught up; a full
 * queue drops lines (counted) rather than slow calls down.
 */
public final class AccessLog implements CallListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
  private static final int QUEUE = 65_536;

  private final Writer out;
  private final boolean ownsOut;
  private final ArrayBlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  private AccessLog(Writer out, boolean ownsOut, String what) {
    this.out = out;
    this.ownsOut = ownsOut;
    this.thread = new Thread(this::run, "meterbridge-access-log");
    this.thread.setDaemon(true);
    this.thread.start();
    LOG.info("Access log to {}", what);
  }

  /**
   * The access log {@code setting} asks for: {@code stdout}, or a file path (created or appended
   * to); empty for {@code off}.
   *
   * @throws UncheckedIOException if the file cannot be opened
   */
  public static java.util.Optional<AccessLog> open(String setting) {
    if (setting.equals("off")) {
      return java.util.Optional.empty();
    }
    if (setting.equals("stdout")) {
      return java.util.Optional.of(new AccessLog(
          new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16), false, "stdout"));
    }
    Path file = Path.of(setting);
    try {
      return java.util.Optional.of(new AccessLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void completed(CallRecord call) {
    if (closed || !lines.offer(line(call))) {
      dropped.incrementAndGet();
    }
  }

  /** Lines dropped because the writer was behind. */
  public long dropped() {
    return dropped.get();
  }

  static String line(CallRecord call) {
    StringBuilder b = new StringBuilder(160);
    DateTimeFormatter.ISO_INSTANT.formatTo(call.receivedAt(), b);
    b.append(' ').append(or(call.source()))
        .append(' ').append(call.requestId())
        .append(" \"");
    quoted(b, call.operation());
    b.append("\" ").append(call.status())
        .append(' ').append(or(call.errorCode()))
        .append(' ').append(or(call.accountId()))
        .append(' ').append(or(call.accessKeyId()))
        .append(' ').append(call.records())
        .append(' ');
    long micros = call.latencyNanos() / 1000;
    b.append(micros / 1000).append('.');
    long fraction = micros % 1000;
    if (fraction < 100) {
      b.append(fraction < 10 ? "00" : "0");
    }
    b.append(fraction);
    return b.toString();
  }

  private static String or(String value) {
    return value.isEmpty() ? "-" : value;
  }

  /** The operation as written inside quotes: a path can carry any printable character. */
  private static void quoted(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
  }

  private void run() {
    List<String> batch = new ArrayList<>();
    while (true) {
      String first;
      try {
        first = lines.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        if (closed && lines.isEmpty()) {
          return;
        }
        continue;
      }
      batch.add(first);
      lines.drainTo(batch, 4095);
      try {
        for (String line : batch) {
          out.write(line);
          out.write('\n');
        }
        if (lines.isEmpty()) {
          out.flush();
        }
      } catch (IOException e) {
        dropped.addAndGet(batch.size());
        LOG.warn("Access log write failed: {}", e.toString());
      }
      batch.clear();
    }
  }

  /** Writes the lines queued, then closes the file (standard output stays open). */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      out.flush();
      if (ownsOut) {
        out.close();
      }
    } catch (IOException e) {
      LOG.warn("Closing the access log failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "AccessLog";
  }
}

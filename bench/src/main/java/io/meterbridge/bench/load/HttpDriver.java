package io.meterbridge.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Drives the server over {@code connections} keep-alive HTTP/1.1 connections from one thread with
 * one NIO selector: the generator shares two cores with the server, so it does the least it can
 * (no HTTP library, no per-call threads or futures). Closed loop: every connection sends its next
 * call as soon as the previous one is answered. Open loop: calls fall due at a fixed rate; a due
 * call goes out on an idle connection or waits in line, and its latency counts from when it was
 * due, so a stalled server is charged for every call it delayed (no coordinated omission).
 */
final class HttpDriver {
  enum Workload {
    BATCH, METER, MIX;

    /** In MIX, one call in five is MeterUsage. */
    boolean meter(long call) {
      return this == METER || (this == MIX && call % 5 == 4);
    }
  }

  private static final byte[] SUCCESS = "\"Success\"".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress address;
  private final Workload workload;
  private final int connections;
  private final Measurement measurement;
  private final RequestFactory requests;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final List<Conn> conns = new ArrayList<>();
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();
  private final ArrayDeque<Long> backlog = new ArrayDeque<>();
  private Selector selector;

  private long nextBatchRecord;
  private long nextMeterCall;
  private long calls;
  private int inFlight;

  HttpDriver(InetSocketAddress address, LoadCatalog catalog, Workload workload, int connections,
      Measurement measurement) {
    this.address = address;
    this.workload = workload;
    this.connections = connections;
    this.measurement = measurement;
    this.requests = new RequestFactory(catalog, address.getHostString() + ":" + address.getPort());
  }

  void connect() throws IOException {
    requests.selfCheck();
    selector = Selector.open();
    for (int i = 0; i < connections; i++) {
      SocketChannel ch = SocketChannel.open(address);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      Conn c = new Conn(ch);
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      conns.add(c);
    }
  }

  /** Until {@code durationNanos} have passed or {@code maxCalls} were sent; then waits (≤ 60 s) for answers. */
  void runClosed(long durationNanos, long maxCalls) throws IOException {
    long end = System.nanoTime() + durationNanos;
    for (Conn c : conns) {
      if (calls < maxCalls) {
        send(c, System.nanoTime());
      }
    }
    while (inFlight > 0) {
      if (!poll(end + 60_000_000_000L)) {
        break;
      }
      Conn c;
      while ((c = idle.poll()) != null) {
        long now = System.nanoTime();
        if (now < end && calls < maxCalls) {
          send(c, now);
        }
      }
    }
    finish();
  }

  /** Calls due at {@code ratePerSecond} for {@code durationNanos}, on at most {@code connections} at once. */
  void runOpen(double ratePerSecond, long durationNanos, long maxCalls) throws IOException {
    long start = System.nanoTime();
    long end = start + durationNanos;
    double nanosPerCall = 1e9 / ratePerSecond;
    idle.addAll(conns);
    long scheduled = 0;
    while (true) {
      long now = System.nanoTime();
      if (now < end) {
        long due = Math.min(maxCalls, (long) ((now - start) / nanosPerCall) + 1);
        for (; scheduled < due; scheduled++) {
          backlog.add(start + (long) (scheduled * nanosPerCall));
        }
      } else {
        backlog.clear();
        if (inFlight == 0) {
          break;
        }
      }
      Conn c;
      while (!backlog.isEmpty() && (c = idle.poll()) != null) {
        send(c, backlog.poll());
      }
      if (!poll(end + 60_000_000_000L)) {
        break;
      }
    }
    finish();
  }

  /** One select (≤ 1 ms) and its answers; false once past {@code deadline} with calls still out. */
  private boolean poll(long deadline) throws IOException {
    if (System.nanoTime() > deadline) {
      measurement.timedOut(inFlight);
      return false;
    }
    selector.select(1);
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey k = keys.next();
      keys.remove();
      Conn c = (Conn) k.attachment();
      try {
        if (k.isValid() && k.isWritable()) {
          c.flush();
        }
        if (k.isValid() && k.isReadable()) {
          c.read();
        }
      } catch (IOException e) {
        measurement.failed(c.intended, System.nanoTime(), "connection: " + e.getMessage(), c.records);
        inFlight--;
        k.cancel();
        c.channel.close();
      }
    }
    return true;
  }

  private void finish() throws IOException {
    for (Conn c : conns) {
      c.channel.close();
    }
    selector.close();
  }

  private void send(Conn c, long intendedNanos) throws IOException {
    long call = calls++;
    byte[] bytes;
    if (workload.meter(call)) {
      bytes = requests.meter(nextMeterCall++);
      c.records = 1;
      c.meter = true;
    } else {
      bytes = requests.batch(nextBatchRecord, 25);
      nextBatchRecord += 25;
      c.records = 25;
      c.meter = false;
    }
    c.intended = intendedNanos;
    inFlight++;
    c.out = ByteBuffer.wrap(bytes);
    c.flush();
  }

  private void answered(Conn c, int status, String errorType, byte[] body, int bodyStart, int bodyEnd) {
    long now = System.nanoTime();
    inFlight--;
    if (status == 200) {
      int ok = c.meter ? 1 : count(body, bodyStart, bodyEnd, SUCCESS);
      measurement.completed(c.intended, now, ok, c.records - ok);
    } else {
      measurement.failed(c.intended, now, status + " " + (errorType == null ? "" : errorType), c.records);
    }
    idle.add(c);
  }

  private static int count(byte[] b, int from, int to, byte[] needle) {
    int n = 0;
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      n++;
      i += needle.length - 1;
    }
    return n;
  }

  /** One connection: the request being written, and the response being read into {@code in}. */
  private final class Conn {
    final SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    byte[] in = new byte[16 * 1024];
    int filled;
    long intended;
    int records;
    boolean meter;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }

    void flush() throws IOException {
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    void read() throws IOException {
      while (true) {
        readBuffer.clear();
        int n = channel.read(readBuffer);
        if (n < 0) {
          throw new IOException("closed by the server");
        }
        if (n == 0) {
          return;
        }
        readBuffer.flip();
        if (filled + n > in.length) {
          in = Arrays.copyOf(in, Math.max(in.length * 2, filled + n));
        }
        readBuffer.get(in, filled, n);
        filled += n;
        parse();
      }
    }

    /** Answers every complete response in {@code in}; keeps a partial one. */
    private void parse() {
      while (true) {
        int headEnd = indexOfHeadEnd(in, filled);
        if (headEnd < 0) {
          return;
        }
        String head = new String(in, 0, headEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        String errorType = null;
        for (String line : head.split("\r\n")) {
          int colon = line.indexOf(':');
          if (colon <= 0) {
            continue;
          }
          String name = line.substring(0, colon);
          if (name.equalsIgnoreCase("content-length")) {
            length = Integer.parseInt(line.substring(colon + 1).trim());
          } else if (name.equalsIgnoreCase("x-amzn-errortype")) {
            errorType = line.substring(colon + 1).trim();
          }
        }
        int bodyStart = headEnd + 4;
        if (filled < bodyStart + length) {
          return;
        }
        answered(this, status, errorType, in, bodyStart, bodyStart + length);
        int rest = filled - (bodyStart + length);
        System.arraycopy(in, bodyStart + length, in, 0, rest);
        filled = rest;
      }
    }
  }

  private static int indexOfHeadEnd(byte[] b, int filled) {
    for (int i = 0; i + 3 < filled; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

package io.meterbridge.bench.compare;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meterbridge.bench.Fixtures;
import io.meterbridge.internal.json.JsonCodec;
import io.meterbridge.model.MeterUsageResponse;
import io.meterbridge.model.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 server that answers every call with the same precomputed body: a metering
 * record id for MeterUsage, 25 Success results for BatchMeterUsage. It checks nothing but the
 * target, so that what the comparison measures is the client, not the service.
 */
public final class CannedServer implements AutoCloseable {
  private static final byte[] METER_USAGE =
      JsonCodec.encodeResponse(Operation.METER_USAGE, MeterUsageResponse.of(Fixtures.meteringRecordId(0)));
  private static final byte[] BATCH_METER_USAGE =
      JsonCodec.encodeResponse(Operation.BATCH_METER_USAGE, Fixtures.batchResponse());
  private static final byte[] UNKNOWN_OPERATION =
      "{\"__type\":\"UnknownOperationException\",\"message\":\"no such target\"}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong requests = new AtomicLong();

  private CannedServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static CannedServer start() throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK, and every call waits ~40 ms: the comparison would measure the kernel.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "canned-server");
      thread.setDaemon(true);
      return thread;
    });
    CannedServer canned = new CannedServer(server, executor);
    server.createContext("/", canned::handle);
    server.setExecutor(executor);
    server.start();
    return canned;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public long requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      requests.incrementAndGet();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      byte[] body;
      int status = 200;
      if (Operation.BATCH_METER_USAGE.target().equals(target)) {
        body = BATCH_METER_USAGE;
      } else if (Operation.METER_USAGE.target().equals(target)) {
        body = METER_USAGE;
      } else {
        body = UNKNOWN_OPERATION;
        status = 400;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "c0ffee00-0000-4000-8000-000000000001");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Runs the server alone until killed, printing its endpoint: for trying a client by hand. */
  public static void main(String[] args) throws Exception {
    CannedServer server = start();
    System.out.println(server.endpoint());
    Thread.currentThread().join();
  }
}

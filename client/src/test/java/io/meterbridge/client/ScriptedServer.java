package io.meterbridge.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server on 127.0.0.1:0 that answers from a script, one action per request, and
 * records what it received. When the script runs out it answers 599 so the test fails loudly.
 */
final class ScriptedServer implements AutoCloseable {
  /** What the server received. Header names are lower-cased. */
  record Received(String method, String path, Map<String, List<String>> headers, byte[] body, long nanos) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    /** Recomputes the request's SigV4 signature from what arrived, as a server would. */
    io.meterbridge.auth.SigV4Verification verifySignature(String secretAccessKey, java.time.Instant now) {
      io.meterbridge.auth.SignableRequest.Builder request = io.meterbridge.auth.SignableRequest.builder()
          .method(method).target(path).body(body);
      headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
      return io.meterbridge.auth.SigV4Verifier.builder().service("aws-marketplace").region("us-east-1").build()
          .verify(request.build(), io.meterbridge.auth.SigV4Authorization.parse(header("Authorization")),
              secretAccessKey, now);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One scripted answer. */
  sealed interface Action permits Reply, Drop {}

  /** An HTTP response, optionally after a delay. */
  record Reply(int status, Map<String, String> headers, byte[] body, Duration delay) implements Action {
    Reply header(String name, String value) {
      Map<String, String> copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
      return new Reply(status, copy, body, delay);
    }

    Reply after(Duration delay) {
      return new Reply(status, headers, body, delay);
    }
  }

  /** Closes the connection without answering. */
  record Drop() implements Action {}

  static Reply json(int status, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-amz-json-1.1");
    headers.put("x-amzn-RequestId", "req-" + status);
    return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
  }

  static Reply ok(String body) {
    return json(200, body);
  }

  static Reply error(int status, String code, String message) {
    return json(status, "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
  }

  static Reply throttled() {
    return error(400, "ThrottlingException", "Rate exceeded");
  }

  static Reply raw(int status, String contentType, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
  }

  static Drop drop() {
    return new Drop();
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-server");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentLinkedQueue<Action> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  ScriptedServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  ScriptedServer enqueue(Action... actions) {
    script.addAll(List.of(actions));
    return this;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Received> requests() {
    return new ArrayList<>(received);
  }

  Received lastRequest() {
    return received.get(received.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        headers, body, System.nanoTime()));
    Action action = script.poll();
    if (action == null) {
      action = raw(599, "text/plain", "no scripted response left");
    }
    if (action instanceof Drop) {
      // Closing without a response makes the server drop the connection.
      exchange.getResponseBody().close();
      exchange.close();
      return;
    }
    Reply reply = (Reply) action;
    if (!reply.delay().isZero()) {
      try {
        Thread.sleep(reply.delay().toMillis());
      } catch (InterruptedException e) {
        exchange.close();
        return;
      }
    }
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.meterbridge.client.credentials;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that answers from a script, standing in for IMDS and the container
 * credentials endpoint. Each {@code METHOD path} has a queue of replies; the last one repeats.
 * Anything unscripted gets 404.
 */
final class ScriptedServer implements AutoCloseable {

  /** What the server received; header names are lower case. */
  record Request(String method, String path, Map<String, String> headers, String query,
      String body) {
    Request(String method, String path, Map<String, String> headers) {
      this(method, path, headers, "", "");
    }

    /** A form field of the body or query, decoded. */
    String form(String name) {
      for (String source : new String[] {body, query}) {
        for (String pair : source.split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
              .equals(name)) {
            return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          }
        }
      }
      return null;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  record Reply(int status, String body, Duration delay) {
    static Reply ok(String body) {
      return new Reply(200, body, Duration.ZERO);
    }

    static Reply status(int status) {
      return new Reply(status, "", Duration.ZERO);
    }

    static Reply status(int status, String body) {
      return new Reply(status, body, Duration.ZERO);
    }

    Reply after(Duration delay) {
      return new Reply(status, body, delay);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private ScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread thread = new Thread(r, "scripted-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static ScriptedServer start() {
    try {
      return new ScriptedServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ScriptedServer on(String method, String path, Reply... replies) {
    script.put(method + " " + path, new ArrayDeque<>(List.of(replies)));
    return this;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    String query = exchange.getRequestURI().getRawQuery();
    String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(new Request(method, path, headers, query == null ? "" : query, requestBody));
    Reply reply = next(method + " " + path);
    try {
      Thread.sleep(reply.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Reply next(String key) {
    Deque<Reply> replies = script.get(key);
    if (replies == null) {
      return Reply.status(404);
    }
    synchronized (replies) {
      return replies.size() > 1 ? replies.poll() : replies.peek();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A credentials document as IMDS and the container endpoint serve it. */
  static String credentialsJson(String accessKeyId, String secret, String token, Instant expiry) {
    return "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + accessKeyId
        + "\",\"SecretAccessKey\":\"" + secret + "\",\"Token\":\"" + token
        + "\",\"Expiration\":\"" + expiry + "\"}";
  }
}

package io.meterbridge.client.internal;

import io.meterbridge.client.Transport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The transport over {@code java.net.http}: the async client's, and the blocking client's when
 * given an {@code HttpClient} or when a proxy applies. HTTP/1.1, no redirects, no
 * {@code Expect: 100-continue}.
 *
 * <p>{@link #send} runs {@code HttpClient.send} on the caller's thread (no {@code sendAsync} hop)
 * and enforces the request's timeout by interrupting that thread from the {@link Watchdog}, which
 * makes {@code send} cancel the exchange; the interrupt is cleared again when it was ours, so it
 * never leaks out. {@link #sendAsync} leaves the timeout to the caller, which cancels the future.
 */
final class JdkTransport implements Transport, AutoCloseable {
  private final Duration connectTimeout;
  private final Executor executor;
  private final boolean owned;
  private final javax.net.ssl.SSLContext tlsContext;
  private final ProxySetting proxy;
  /** Created on first use when owned: an idle client has no selector thread. */
  private volatile HttpClient http;

  /** Over a client someone else owns and closes. */
  JdkTransport(HttpClient given) {
    this.tlsContext = null;
    this.proxy = null;
    this.connectTimeout = null;
    this.executor = null;
    this.owned = false;
    this.http = given;
  }

  /** Over a client of its own, HTTP/1.1, made on first use. */
  JdkTransport(Duration connectTimeout, Executor executor) {
    this(connectTimeout, executor, null, null);
  }

  /**
   * As above, trusting {@code tlsContext} (a CA bundle) when not null, through {@code proxy} when
   * not null.
   */
  JdkTransport(Duration connectTimeout, Executor executor, javax.net.ssl.SSLContext tlsContext,
      ProxySetting proxy) {
    this.tlsContext = tlsContext;
    this.proxy = proxy;
    this.connectTimeout = connectTimeout;
    this.executor = executor;
    this.owned = true;
  }

  private HttpClient http() {
    HttpClient h = http;
    if (h == null) {
      synchronized (this) {
        h = http;
        if (h == null) {
          HttpClient.Builder builder = HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(connectTimeout)
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(executor);
          if (tlsContext != null) {
            builder.sslContext(tlsContext);
          }
          if (proxy != null) {
            builder.proxy(java.net.ProxySelector.of(
                java.net.InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
            if (proxy.username().isPresent()) {
              // The JDK answers the proxy's 407 with these; for CONNECT tunnels it refuses Basic
              // unless jdk.http.auth.tunneling.disabledSchemes allows it (a JDK-wide setting).
              String user = proxy.username().get();
              char[] password = proxy.password().orElse("").toCharArray();
              builder.authenticator(new java.net.Authenticator() {
                @Override
                protected java.net.PasswordAuthentication getPasswordAuthentication() {
                  return getRequestorType() == RequestorType.PROXY
                      ? new java.net.PasswordAuthentication(user, password) : null;
                }
              });
            }
          }
          h = builder.build();
          http = h;
        }
      }
    }
    return h;
  }

  @Override
  public Transport.Response send(Transport.Request request) throws IOException, InterruptedException {
    HttpRequest httpRequest = toHttpRequest(request);
    long timeoutNanos = request.timeout().toNanos();
    Interrupter interrupter = new Interrupter(Thread.currentThread());
    Watchdog.shared().schedule(interrupter, System.nanoTime() + timeoutNanos);
    HttpResponse<byte[]> response;
    try {
      response = http().send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (interrupter.disarm()) {
        throw e;
      }
      HttpTimeoutException timeout = new HttpTimeoutException("No complete response from "
          + request.uri() + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
      timeout.initCause(e);
      throw timeout;
    }
    interrupter.disarm();
    return new Response(response);
  }

  @Override
  public CompletableFuture<Transport.Response> sendAsync(Transport.Request request, Executor executor) {
    // The JDK client runs on the executor it was built with.
    CompletableFuture<HttpResponse<byte[]>> send =
        http().sendAsync(toHttpRequest(request), HttpResponse.BodyHandlers.ofByteArray());
    CompletableFuture<Transport.Response> response = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        // Cancelling the JDK's future aborts the exchange.
        send.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning);
      }
    };
    send.whenComplete((r, e) -> {
      if (e != null) {
        response.completeExceptionally(e);
      } else {
        response.complete(new Response(r));
      }
    });
    return response;
  }

  private static HttpRequest toHttpRequest(Transport.Request request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
        .expectContinue(false);
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return builder.build();
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable from Java 21 on (waits for exchanges in flight); on 17 its
    // threads are daemons that end once it is unreachable.
    HttpClient h = http;
    if (owned && h instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        System.getLogger("io.meterbridge.client").log(System.Logger.Level.DEBUG,
            "closing the HTTP client failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdkTransport[" + (owned ? "own client" : "given client") + "]";
  }

  private static final class Response implements Transport.Response {
    private final HttpResponse<byte[]> response;

    Response(HttpResponse<byte[]> response) {
      this.response = response;
    }

    @Override
    public int statusCode() {
      return response.statusCode();
    }

    @Override
    public HttpHeaders headers() {
      return response.headers();
    }

    @Override
    public ByteBuffer body() {
      byte[] body = response.body();
      return body == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body);
    }
  }

  /**
   * Interrupts the sending thread at its deadline. {@link #disarm} after the exchange: it says
   * whether the interrupt came, and if it did, clears it.
   */
  private static final class Interrupter extends Watchdog.Task {
    private final Thread thread;
    private int state; // 0 armed, 1 fired, 2 disarmed; guarded by this

    Interrupter(Thread thread) {
      this.thread = thread;
    }

    @Override
    synchronized void fire() {
      if (state == 0) {
        state = 1;
        thread.interrupt();
      }
    }

    /** False if the deadline passed (the thread's interrupt status is then cleared). */
    boolean disarm() {
      cancel();
      synchronized (this) {
        if (state == 1) {
          Thread.interrupted();
          return false;
        }
        state = 2;
        return true;
      }
    }
  }
}

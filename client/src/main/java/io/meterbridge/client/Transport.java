package io.meterbridge.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The HTTP stack under a client: it sends one request and returns the whole response. The client
 * does everything else (signing, retries, timeouts, interceptors, error mapping), so a transport
 * only moves bytes. Give one to {@link ClientBuilder#transport(Transport)} to send through your own
 * HTTP stack (a corporate proxy library, an instrumented client, an in-process test double);
 * without one the blocking client uses its own kept-alive sockets and the async client
 * {@code java.net.http}.
 *
 * <p>A transport must be thread-safe: a client calls it from many threads at once. It must send
 * the request exactly as given, adding only {@code Host} (from {@link Request#uri()}, with the port
 * only when it is not the scheme's default: the signature covers it) and {@code Content-Length};
 * it must not follow redirects, retry, or decompress on its own. The client never closes a
 * transport you give it: close it yourself when its clients are closed.
 *
 * <p>Failures: throw an {@link IOException} when no complete response arrived (a connection
 * refused or reset, a timeout). The client turns it into a retryable
 * {@link TransportException}, or into an {@link ApiCallAttemptTimeoutException} when the attempt's
 * {@linkplain Request#timeout() time} has run out. Any HTTP status is a response, not a failure.
 *
 * <pre>{@code
 * final class UrlConnectionTransport implements Transport {
 *   public Response send(Request request) throws IOException {
 *     HttpURLConnection c = (HttpURLConnection) request.uri().toURL().openConnection();
 *     c.setRequestMethod(request.method());
 *     c.setConnectTimeout((int) request.connectTimeout().toMillis());
 *     c.setReadTimeout((int) request.timeout().toMillis() + 1);
 *     request.headers().forEach(c::setRequestProperty);
 *     c.setDoOutput(true);
 *     c.getOutputStream().write(request.body());
 *     int status = c.getResponseCode();
 *     InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
 *     byte[] body = in == null ? new byte[0] : in.readAllBytes();
 *     Map<String, List<String>> headers = new HashMap<>(c.getHeaderFields());
 *     headers.remove(null); // the status line
 *     return Response.of(status, HttpHeaders.of(headers, (name, value) -> true), body);
 *   }
 * }
 *
 * MeteringClient client = MeteringClient.builder().region("us-east-1")
 *     .transport(new UrlConnectionTransport()).build();
 * }</pre>
 */
public interface Transport {

  /**
   * Sends the request and reads the whole response, on the calling thread. The blocking client
   * calls this for every attempt.
   *
   * @throws IOException if no complete response arrived
   * @throws InterruptedException if the thread was interrupted while waiting (the call then ends)
   */
  Response send(Request request) throws IOException, InterruptedException;

  /**
   * Sends the request without blocking the caller; the future completes with the whole response
   * or fails with an {@link IOException}. The async client calls this for every attempt and
   * cancels the future when the attempt times out, which should abort the exchange. By default
   * {@link #send(Request)} runs on {@code executor}, the client's executor; override it when your
   * HTTP stack is asynchronous.
   */
  default CompletableFuture<Response> sendAsync(Request request, Executor executor) {
    CompletableFuture<Response> response = new CompletableFuture<>();
    Runnable exchange = () -> {
      try {
        response.complete(send(request));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.completeExceptionally(new InterruptedIOException("Interrupted while sending"));
      } catch (IOException | RuntimeException e) {
        response.completeExceptionally(e);
      }
    };
    try {
      executor.execute(exchange);
    } catch (RejectedExecutionException e) {
      response.completeExceptionally(e);
    }
    return response;
  }

  /** One HTTP request of an attempt, as the client signed it. The client creates these. */
  interface Request {
    /** The method: {@code POST} for every operation of the service. */
    String method();

    /** The absolute {@code http} or {@code https} URI. */
    URI uri();

    /**
     * The headers to send, in order, one value each, names case-insensitive, without
     * {@code Host} and {@code Content-Length} (the transport writes those). The client's own map:
     * read it, never change it.
     */
    Map<String, String> headers();

    /** The body, the client's own array: send it, never change it. */
    byte[] body();

    /** How long opening a connection (TCP and TLS) may take, from the client's builder. */
    Duration connectTimeout();

    /**
     * How long this attempt has left for the whole exchange, from now: the attempt timeout, or
     * what is left of the call timeout when that is shorter. Give up with an {@link IOException}
     * once it has passed; the client reports the attempt as timed out then.
     */
    Duration timeout();
  }

  /**
   * A response, read in full. The client {@linkplain #close() closes} it once it has read the
   * body, so an implementation may lend its buffers until then.
   */
  interface Response extends AutoCloseable {
    /**
     * A response over the given parts.
     *
     * <pre>{@code
     * return Transport.Response.of(200, HttpHeaders.of(Map.of(), (n, v) -> true), bytes);
     * }</pre>
     */
    static Response of(int statusCode, HttpHeaders headers, byte[] body) {
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
      if (statusCode < 100 || statusCode > 599) {
        throw new IllegalArgumentException("statusCode must be 100-599, was " + statusCode);
      }
      return new Response() {
        @Override
        public int statusCode() {
          return statusCode;
        }

        @Override
        public HttpHeaders headers() {
          return headers;
        }

        @Override
        public ByteBuffer body() {
          return ByteBuffer.wrap(body);
        }

        @Override
        public String toString() {
          return "Response[" + statusCode + ", " + body.length + " bytes]";
        }
      };
    }

    /** The HTTP status code. */
    int statusCode();

    /** The headers, names case-insensitive. */
    HttpHeaders headers();

    /** The whole body, possibly empty; valid until {@link #close()}. */
    ByteBuffer body();

    /** Releases what the response holds (such as a pooled connection). Nothing by default. */
    @Override
    default void close() {}
  }
}

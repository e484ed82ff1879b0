package io.meterbridge.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seller's own HTTP stack under the client: {@link HttpURLConnection}, which shares nothing with
 * the client's built-in transports. Counts its exchanges so tests can see it was used.
 */
final class UrlConnectionTransport implements Transport {
  final AtomicInteger exchanges = new AtomicInteger();

  @Override
  public Response send(Request request) throws IOException {
    exchanges.incrementAndGet();
    HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection(Proxy.NO_PROXY);
    connection.setRequestMethod(request.method());
    connection.setConnectTimeout(millis(request.connectTimeout()));
    connection.setReadTimeout(millis(request.timeout()));
    connection.setInstanceFollowRedirects(false);
    request.headers().forEach(connection::setRequestProperty);
    connection.setDoOutput(true);
    // Streaming mode also stops HttpURLConnection from resending a POST on its own.
    connection.setFixedLengthStreamingMode(request.body().length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(request.body());
    }
    int status = connection.getResponseCode();
    byte[] body;
    try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
      body = in == null ? new byte[0] : in.readAllBytes();
    }
    Map<String, List<String>> headers = new HashMap<>(connection.getHeaderFields());
    headers.remove(null); // the status line
    return Response.of(status, HttpHeaders.of(headers, (name, value) -> true), body);
  }

  /** Rounded up: a read timeout that fires early would end the attempt before its deadline. */
  private static int millis(Duration timeout) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (timeout.toNanos() + 999_999) / 1_000_000));
  }
}

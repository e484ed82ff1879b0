package io.meterbridge.server.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete plain HTTP request as a {@link PlainHandler} sees it: method, decoded path and query,
 * headers and body. The body was read within the server's body limit and is a private copy.
 */
public final class PlainRequest {
  private final String requestId;
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final HttpHeaders headers;
  private final byte[] body;
  private final Instant receivedAt;

  PlainRequest(ReceivedRequest request) {
    this(request.requestId(), request.method(), request.uri(), request.headers(), request.body(), request.receivedAt());
  }

  private PlainRequest(String requestId, String method, String uri, HttpHeaders headers, byte[] body,
      Instant receivedAt) {
    QueryStringDecoder decoder = new QueryStringDecoder(uri);
    this.requestId = requestId;
    this.method = method;
    this.path = decoder.path();
    this.query = decoder.parameters();
    this.headers = headers;
    this.body = body;
    this.receivedAt = receivedAt;
  }

  /**
   * A request made inside the process, without headers: how the dashboard asks the admin routes,
   * which it has already authenticated for.
   *
   * @param uri the path and query, percent-encoded: {@code /admin/records/batch?limit=1000}
   * @throws IllegalArgumentException if the URI's percent-encoding is malformed
   */
  public static PlainRequest internal(String requestId, String method, String uri, byte[] body) {
    return new PlainRequest(requestId, method, uri, new DefaultHttpHeaders(), body.clone(), Instant.now());
  }

  /** The request id the response carries in {@code x-amzn-RequestId}. */
  public String requestId() {
    return requestId;
  }

  /** The method, upper case: {@code GET}, {@code POST}... */
  public String method() {
    return method;
  }

  /** The path, percent-decoded, without the query: {@code /admin/products}. */
  public String path() {
    return path;
  }

  /** The first value of query parameter {@code name}, decoded. */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of query parameter {@code name}, decoded, in order; empty when absent. */
  public List<String> queryAll(String name) {
    List<String> values = query.get(name);
    return values == null ? List.of() : List.copyOf(values);
  }

  /** The names of the query parameters present. */
  public java.util.Set<String> queryNames() {
    return query.keySet();
  }

  /** The first value of header {@code name} (any case). */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The body bytes; empty when there was none. Not copied: do not modify. */
  public byte[] body() {
    return body;
  }

  /** When the request was received, by the system clock. */
  public Instant receivedAt() {
    return receivedAt;
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes, request " + requestId + ")";
  }
}

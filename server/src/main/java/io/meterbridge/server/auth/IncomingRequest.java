package io.meterbridge.server.auth;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A received HTTP request as an {@link Authenticator} sees it: method, target, headers and the
 * complete body. Header names are case-insensitive.
 */
public final class IncomingRequest {
  /** Read-only access to the request's headers, without copying them. */
  public interface Headers {
    /** The first value of the header, if present. */
    Optional<String> first(String name);

    /** Every value of the header, in the order received; empty when absent. */
    List<String> all(String name);

    /** The names of the headers present, lower-cased. */
    Set<String> names();

    /** Each header line, name as received and value, in the order received. */
    void forEach(BiConsumer<String, String> action);
  }

  private final String method;
  private final String uri;
  private final Headers headers;
  private final byte[] body;
  private final Instant receivedAt;

  /**
   * @param method the HTTP method, such as {@code POST}
   * @param uri the request target as received: the path and, if any, {@code ?} and the query
   * @param headers the headers
   * @param body the body; not copied, and never modified by this class
   * @param receivedAt when the whole request had been read
   */
  public IncomingRequest(String method, String uri, Headers headers, byte[] body, Instant receivedAt) {
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
    this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The HTTP method, such as {@code POST}. */
  public String method() {
    return method;
  }

  /** The request target as received, such as {@code /} or {@code /?a=b}. */
  public String uri() {
    return uri;
  }

  /** The path part of the target, undecoded. */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The query part of the target without the {@code ?}, undecoded; empty when there is none. */
  public String rawQuery() {
    int q = uri.indexOf('?');
    return q < 0 ? "" : uri.substring(q + 1);
  }

  /** The headers. */
  public Headers headers() {
    return headers;
  }

  /** The first value of a header, if present. */
  public Optional<String> header(String name) {
    return headers.first(name);
  }

  /** The body as a read-only buffer positioned at its start. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /** The body itself, for this package's verifiers, which only read it. */
  byte[] bodyArray() {
    return body;
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** When the whole request had been read. */
  public Instant receivedAt() {
    return receivedAt;
  }

  @Override
  public String toString() {
    return method + " " + uri + " (" + body.length + " bytes)";
  }
}

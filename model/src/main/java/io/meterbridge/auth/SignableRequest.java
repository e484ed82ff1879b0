package io.meterbridge.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The parts of an HTTP request that SigV4 covers: method, path, raw query, headers and the body
 * (or its precomputed SHA-256). Our client (before its transport sends) and our server (over Netty)
 * each build one from their own request type; nothing here is tied to either.
 *
 * <p>{@link #path()} and {@link #rawQuery()} are as they appear on the wire, still percent-encoded.
 * The body array is not copied, for speed: do not change it after handing it over.
 *
 * <pre>{@code
 * SignableRequest request = SignableRequest.builder()
 *     .method("POST")
 *     .target("/")
 *     .header("Host", "metering.marketplace.us-east-1.amazonaws.com")
 *     .header("Content-Type", "application/x-amz-json-1.1")
 *     .header("X-Amz-Target", "AWSMPMeteringService.MeterUsage")
 *     .body(json)
 *     .build();
 * }</pre>
 */
public final class SignableRequest {

  private static final byte[] NO_BODY = new byte[0];

  private final String method;
  private final String path;
  private final String rawQuery;
  private final RequestHeaders headers;
  private final byte[] body;
  // Computed at most a few times under a race, always to the same value; no lock needed.
  private String payloadHash;

  private SignableRequest(
      String method, String path, String rawQuery, RequestHeaders headers, byte[] body,
      String payloadHash) {
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.headers = headers;
    this.body = body;
    this.payloadHash = payloadHash;
  }

  /**
   * An empty builder: method {@code GET}, path {@code /}, no query, no headers, no body.
   *
   * <pre>{@code
   * SignableRequest.builder().method("POST").header("Host", "example.amazonaws.com").build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this request, to change a part.
   *
   * <pre>{@code
   * SignableRequest tampered = signed.toBuilder().body("{}".getBytes(UTF_8)).build();
   * }</pre>
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.method = method;
    builder.path = path;
    builder.rawQuery = rawQuery;
    builder.headers = headers.toBuilder();
    builder.body = body;
    builder.payloadHash = body == null ? payloadHash : null;
    return builder;
  }

  /**
   * This request with {@code headers} instead of its own.
   *
   * <pre>{@code
   * SignableRequest withTrace = request.withHeaders(request.headers().toBuilder().add("X-Trace", "1").build());
   * }</pre>
   */
  public SignableRequest withHeaders(RequestHeaders headers) {
    return new SignableRequest(
        method, path, rawQuery, Objects.requireNonNull(headers, "headers"), body, payloadHash);
  }

  /**
   * The HTTP method, such as {@code POST}.
   *
   * <pre>{@code
   * request.method(); // "POST"
   * }</pre>
   */
  public String method() {
    return method;
  }

  /**
   * The path as sent, percent-encoded, starting with {@code /}.
   *
   * <pre>{@code
   * request.path(); // "/"
   * }</pre>
   */
  public String path() {
    return path;
  }

  /**
   * The query as sent, without the {@code ?}; empty when there is none.
   *
   * <pre>{@code
   * SignableRequest.builder().target("/?b=2&a=1").build().rawQuery(); // "b=2&a=1"
   * }</pre>
   */
  public String rawQuery() {
    return rawQuery;
  }

  /**
   * The path and, if any, {@code ?} and the query: the request target of the request line.
   *
   * <pre>{@code
   * request.target(); // "/?b=2&a=1"
   * }</pre>
   */
  public String target() {
    return rawQuery.isEmpty() ? path : path + '?' + rawQuery;
  }

  /**
   * The headers.
   *
   * <pre>{@code
   * request.headers().firstValue("host");
   * }</pre>
   */
  public RequestHeaders headers() {
    return headers;
  }

  /**
   * The body, when the request was built from one rather than from a payload hash. The array is
   * shared, not copied.
   *
   * <pre>{@code
   * request.body().map(b -> b.length).orElse(0);
   * }</pre>
   */
  public Optional<byte[]> body() {
    return Optional.ofNullable(body);
  }

  /**
   * The lower-case hex SHA-256 of the body, or the hash given to the builder. This is what the
   * body contributes to the canonical request unless an {@code X-Amz-Content-Sha256} header says
   * otherwise.
   *
   * <pre>{@code
   * SignableRequest.builder().build().payloadHash();
   * // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
   * }</pre>
   */
  public String payloadHash() {
    String hash = payloadHash;
    if (hash == null) {
      hash = Sha256.hashHex(body);
      payloadHash = hash;
    }
    return hash;
  }

  /**
   * Method, target and headers (credentials masked); never the body.
   *
   * <pre>{@code
   * request.toString(); // "POST / [Host: example.amazonaws.com, Authorization: ***]"
   * }</pre>
   */
  @Override
  public String toString() {
    return method + ' ' + target() + ' ' + headers;
  }

  /**
   * Builds a {@link SignableRequest}. Not thread-safe.
   *
   * <pre>{@code
   * SignableRequest.builder().method("POST").target("/").header("Host", "h").body(bytes).build();
   * }</pre>
   */
  public static final class Builder {
    private String method = "GET";
    private String path = "/";
    private String rawQuery = "";
    private RequestHeaders.Builder headers = RequestHeaders.builder();
    private byte[] body;
    private String payloadHash;

    private Builder() {}

    /**
     * The HTTP method, such as {@code POST}; sent upper-case by every AWS SDK.
     *
     * <pre>{@code
     * builder.method("POST");
     * }</pre>
     */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /**
     * The path as it will be sent (percent-encoded), starting with {@code /}.
     *
     * <pre>{@code
     * builder.path("/");
     * }</pre>
     */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * The query as it will be sent, without the {@code ?}; empty for none.
     *
     * <pre>{@code
     * builder.rawQuery("Param1=value1");
     * }</pre>
     */
    public Builder rawQuery(String rawQuery) {
      this.rawQuery = Objects.requireNonNull(rawQuery, "rawQuery");
      return this;
    }

    /**
     * Path and query from a request target such as Netty's {@code HttpRequest.uri()}: split at
     * the first {@code ?}; a {@code #fragment} is dropped as it never reaches the server.
     *
     * <pre>{@code
     * builder.target("/?Param1=value1"); // path "/", rawQuery "Param1=value1"
     * }</pre>
     */
    public Builder target(String target) {
      Objects.requireNonNull(target, "target");
      int hash = target.indexOf('#');
      String t = hash < 0 ? target : target.substring(0, hash);
      int q = t.indexOf('?');
      this.path = q < 0 ? t : t.substring(0, q);
      this.rawQuery = q < 0 ? "" : t.substring(q + 1);
      return this;
    }

    /**
     * Replaces all headers by {@code headers}.
     *
     * <pre>{@code
     * builder.headers(RequestHeaders.of("Host", "example.amazonaws.com"));
     * }</pre>
     */
    public Builder headers(RequestHeaders headers) {
      this.headers = headers.toBuilder();
      return this;
    }

    /**
     * Appends one header entry.
     *
     * <pre>{@code
     * builder.header("Host", "example.amazonaws.com");
     * }</pre>
     */
    public Builder header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    /**
     * The body bytes, not copied; replaces any payload hash given before.
     *
     * <pre>{@code
     * builder.body("{}".getBytes(StandardCharsets.UTF_8));
     * }</pre>
     */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body");
      this.payloadHash = null;
      return this;
    }

    /**
     * The body's lower-case hex SHA-256, when the caller has it already (streamed bodies); replaces
     * any body given before.
     *
     * <pre>{@code
     * builder.payloadHash("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
     * }</pre>
     *
     * @throws IllegalArgumentException unless 64 lower-case hex digits or {@code UNSIGNED-PAYLOAD}
     */
    public Builder payloadHash(String payloadHash) {
      Objects.requireNonNull(payloadHash, "payloadHash");
      if (!Sha256.isLowerHex64(payloadHash) && !SigV4.UNSIGNED_PAYLOAD.equals(payloadHash)) {
        throw new IllegalArgumentException(
            "payloadHash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD, got '"
                + payloadHash + "'");
      }
      this.payloadHash = payloadHash;
      this.body = null;
      return this;
    }

    /**
     * The request.
     *
     * <pre>{@code
     * SignableRequest request = builder.build();
     * }</pre>
     *
     * @throws IllegalArgumentException if the method is empty or the path does not start with
     *     {@code /}
     */
    public SignableRequest build() {
      if (method.isEmpty()) {
        throw new IllegalArgumentException("method is empty");
      }
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
      }
      byte[] b = body == null && payloadHash == null ? NO_BODY : body;
      return new SignableRequest(method, path, rawQuery, headers.build(), b, payloadHash);
    }
  }
}

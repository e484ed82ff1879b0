package io.meterbridge.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a {@link PlainHandler} answers: a status, a content type, a body and extra headers. The
 * server adds {@code Content-Length} and {@code x-amzn-RequestId}.
 *
 * <pre>{@code
 * PlainResponse.of(200, "application/x-pem-file", pem.getBytes(UTF_8))
 *     .withHeader("Cache-Control", "public, max-age=300");
 * PlainResponse.error(404, "NotFound", "No product prod-1");
 * }</pre>
 */
public final class PlainResponse {
  /** {@code application/json}. */
  public static final String JSON = "application/json";

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Map<String, String> headers;
  private final BodyWriter stream; // null unless streamed
  private final Executor streamExecutor;

  /** Writes a streamed body; see {@link #streamed}. */
  @FunctionalInterface
  public interface BodyWriter {
    /**
     * Writes the whole body to {@code out}, which sends it in chunks as it fills and blocks while
     * the client is behind. An exception before the first chunk went out (the first 32 KB) still
     * becomes a proper error response; after it, the connection is closed, so the client sees a
     * truncated body rather than a complete wrong one.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private PlainResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, null, null);
  }

  private PlainResponse(int status, String contentType, byte[] body, Map<String, String> headers, BodyWriter stream,
      Executor streamExecutor) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.body = Objects.requireNonNull(body, "body");
    this.headers = Map.copyOf(headers);
    this.stream = stream;
    this.streamExecutor = streamExecutor;
  }

  /**
   * A response whose body is written while it is sent: {@code writer} runs on {@code executor} (it
   * may block there, on a database cursor say) and the server sends what it writes with chunked
   * transfer encoding, never holding more than a few chunks in memory.
   */
  public static PlainResponse streamed(int status, String contentType, Executor executor, BodyWriter writer) {
    return new PlainResponse(status, contentType, new byte[0], Map.of(), Objects.requireNonNull(writer, "writer"),
        Objects.requireNonNull(executor, "executor"));
  }

  /** A response with this status, content type and body. */
  public static PlainResponse of(int status, String contentType, byte[] body) {
    return new PlainResponse(status, contentType, body, Map.of());
  }

  /** A JSON response. */
  public static PlainResponse json(int status, byte[] body) {
    return of(status, JSON, body);
  }

  /**
   * A JSON error: {@code {"error":"<error>","message":"<message>"}}.
   *
   * @param error a short code such as {@code NotFound}
   */
  public static PlainResponse error(int status, String error, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
    try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("error", error);
      json.writeStringField("message", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return json(status, out.toByteArray());
  }

  /** This response with one more header (replacing one of the same name). */
  public PlainResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new PlainResponse(status, contentType, body, more, stream, streamExecutor);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** Whether the body is {@linkplain #streamed streamed}. */
  public boolean isStreamed() {
    return stream != null;
  }

  /**
   * Writes the body to {@code out} on the calling thread: the bytes, or what a streamed body's
   * writer writes. For callers inside the process (the dashboard reads admin answers this way).
   */
  public void writeBody(OutputStream out) throws IOException {
    if (stream != null) {
      stream.writeTo(out);
    } else {
      out.write(body);
    }
  }

  BodyWriter stream() {
    return stream;
  }

  Executor streamExecutor() {
    return streamExecutor;
  }

  /** The body (empty when streamed); not copied. */
  public byte[] body() {
    return body;
  }

  /** Extra headers, by name. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public String toString() {
    return "PlainResponse[" + status + " " + contentType + ", " + (stream != null ? "streamed" : body.length + " bytes")
        + "]";
  }
}

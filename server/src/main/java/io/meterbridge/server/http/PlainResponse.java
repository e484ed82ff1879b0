package io.meterbridge.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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

  private PlainResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType, "contentType");
    this.body = Objects.requireNonNull(body, "body");
    this.headers = Map.copyOf(headers);
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
    return new PlainResponse(status, contentType, body, more);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** The body; not copied. */
  public byte[] body() {
    return body;
  }

  /** Extra headers, by name. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public String toString() {
    return "PlainResponse[" + status + " " + contentType + ", " + body.length + " bytes]";
  }
}

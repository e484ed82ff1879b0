package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.server.http.PlainResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/** Writes JSON responses with the streaming generator. */
final class JsonOut {
  private static final JsonFactory JSON = new JsonFactory();

  /** Writes the body of a response. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private JsonOut() {}

  /** A JSON response: {@code body} writes one value (usually an object). */
  static PlainResponse response(int status, Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      body.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return PlainResponse.json(status, out.toByteArray()).withHeader("Cache-Control", "no-store");
  }

  static void instant(JsonGenerator json, String name, Instant value) throws IOException {
    json.writeStringField(name, value.toString());
  }

  static void instant(JsonGenerator json, String name, Optional<Instant> value) throws IOException {
    if (value.isPresent()) {
      json.writeStringField(name, value.get().toString());
    }
  }

  static void text(JsonGenerator json, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      json.writeStringField(name, value.get());
    }
  }
}

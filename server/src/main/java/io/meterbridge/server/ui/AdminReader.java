package io.meterbridge.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * The dashboard's view of the admin API: it asks the admin routes in the process, as a client
 * would over HTTP, and reads their JSON. So a page shows exactly what the API answers, and every
 * rule of the API (validation, limits) holds for the page too.
 */
final class AdminReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The admin API refused or failed: its status and its message. */
  static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final Function<PlainRequest, PlainResponse> routes;
  private final String requestId;

  AdminReader(Function<PlainRequest, PlainResponse> routes, String requestId) {
    this.routes = routes;
    this.requestId = requestId;
  }

  /** The JSON answer of {@code GET uri}; throws {@link Refused} for a status of 400 or more. */
  JsonNode get(String uri) {
    return json(send("GET", uri, new byte[0]));
  }

  /** The answer of {@code GET uri}, or empty if the endpoint is not on this server (404). */
  Optional<JsonNode> optional(String uri) {
    PlainResponse response = send("GET", uri, new byte[0]);
    if (response.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(json(response));
  }

  /** Sends a request with a JSON body (empty for none); throws {@link Refused} for 400 or more. */
  JsonNode send(String method, String uri, String body) {
    return json(send(method, uri, body.getBytes(StandardCharsets.UTF_8)));
  }

  /** The raw answer, body read whole (streamed ones too). */
  PlainResponse send(String method, String uri, byte[] body) {
    return routes.apply(PlainRequest.internal(requestId, method, uri, body));
  }

  static byte[] bytes(PlainResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, response.body().length));
    try {
      response.writeBody(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static JsonNode json(PlainResponse response) {
    byte[] body = bytes(response);
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      throw new Refused(500, "The admin API answered something that is not JSON (status " + response.status() + ")");
    }
    if (response.status() >= 400) {
      JsonNode message = node == null ? null : node.get("message");
      throw new Refused(response.status(), message == null ? "status " + response.status() : message.asText());
    }
    return node;
  }
}

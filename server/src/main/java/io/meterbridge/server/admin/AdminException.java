package io.meterbridge.server.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meterbridge.server.http.PlainResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A client mistake or a refusal, answered as {@code {"error": code, "message": ...}} with its status;
 * a body's problems also as {@code "problems": [...]}, each starting with its field. Anything else
 * thrown by an endpoint is a 500.
 */
final class AdminException extends RuntimeException {
  private static final JsonFactory JSON = new JsonFactory();

  private final int status;
  private final String error;
  private final String allow;
  private final List<String> problems;

  private AdminException(int status, String error, String message, String allow, List<String> problems) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.allow = allow;
    this.problems = problems;
  }

  /** 400: {@code field} is missing or wrong; the message starts with the field's name. */
  static AdminException invalid(String field, String problem) {
    return invalid(List.of(field + ": " + problem));
  }

  /** 400 about the request as a whole. */
  static AdminException invalid(String problem) {
    return new AdminException(400, "InvalidRequest", problem, null, List.of());
  }

  /** 400 naming every problem of a request, each starting with its field; the message joins them. */
  static AdminException invalid(List<String> problems) {
    return new AdminException(400, "InvalidRequest", String.join("; ", problems), null, List.copyOf(problems));
  }

  static AdminException notFound(String message) {
    return new AdminException(404, "NotFound", message, null, List.of());
  }

  static AdminException conflict(String message) {
    return new AdminException(409, "Conflict", message, null, List.of());
  }

  static AdminException unauthorized(String message) {
    return new AdminException(401, "Unauthorized", message, null, List.of());
  }

  static AdminException methodNotAllowed(String method, String path, String allow) {
    return new AdminException(405, "MethodNotAllowed",
        "Method " + method + " is not allowed on " + path + ": use " + allow, allow, List.of());
  }

  PlainResponse response() {
    PlainResponse response = problems.isEmpty() ? PlainResponse.error(status, error, getMessage()) : withProblems();
    if (allow != null) {
      response = response.withHeader("Allow", allow);
    }
    if (status == 401) {
      response = response.withHeader("WWW-Authenticate", "Bearer realm=\"meterbridge-admin\"");
    }
    return response;
  }

  private PlainResponse withProblems() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("error", error);
      json.writeStringField("message", getMessage());
      json.writeArrayFieldStart("problems");
      for (String problem : problems) {
        json.writeString(problem);
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return PlainResponse.json(status, out.toByteArray());
  }

  int status() {
    return status;
  }
}

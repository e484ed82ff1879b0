package io.meterbridge.server.admin;

import io.meterbridge.server.http.PlainResponse;

/**
 * A client mistake or a refusal, answered as {@code {"error": code, "message": ...}} with its status.
 * Anything else thrown by an endpoint is a 500.
 */
final class AdminException extends RuntimeException {
  private final int status;
  private final String error;
  private final String allow;

  private AdminException(int status, String error, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.allow = allow;
  }

  /** 400: {@code field} is missing or wrong; the message starts with the field's name. */
  static AdminException invalid(String field, String problem) {
    return new AdminException(400, "InvalidRequest", field + ": " + problem, null);
  }

  /** 400 about the request as a whole. */
  static AdminException invalid(String problem) {
    return new AdminException(400, "InvalidRequest", problem, null);
  }

  static AdminException notFound(String message) {
    return new AdminException(404, "NotFound", message, null);
  }

  static AdminException conflict(String message) {
    return new AdminException(409, "Conflict", message, null);
  }

  static AdminException unauthorized(String message) {
    return new AdminException(401, "Unauthorized", message, null);
  }

  static AdminException methodNotAllowed(String method, String path, String allow) {
    return new AdminException(405, "MethodNotAllowed",
        "Method " + method + " is not allowed on " + path + ": use " + allow, allow);
  }

  PlainResponse response() {
    PlainResponse response = PlainResponse.error(status, error, getMessage());
    if (allow != null) {
      response = response.withHeader("Allow", allow);
    }
    if (status == 401) {
      response = response.withHeader("WWW-Authenticate", "Bearer realm=\"meterbridge-admin\"");
    }
    return response;
  }

  int status() {
    return status;
  }
}

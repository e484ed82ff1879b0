package io.meterbridge.server.http;

import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.Operation;

/**
 * What to answer a request with: an operation's response, to be encoded straight into the
 * response buffer, or an error code and message, or a ready body (health checks).
 */
final class Outcome {
  final int status;
  final Operation<?, ?> operation; // success only
  final Object response;           // success only
  final String errorCode;          // error only
  final String message;            // error only
  final byte[] body;               // plain JSON only
  final String allow;              // the Allow header of a 405, or null
  final PlainResponse plain;       // a plain route's answer, or null

  private Outcome(int status, Operation<?, ?> operation, Object response, String errorCode, String message,
      byte[] body, String allow) {
    this.status = status;
    this.operation = operation;
    this.response = response;
    this.errorCode = errorCode;
    this.message = message;
    this.body = body;
    this.allow = allow;
    this.plain = null;
  }

  private Outcome(PlainResponse plain) {
    this.status = plain.status();
    this.operation = null;
    this.response = null;
    this.errorCode = null;
    this.message = null;
    this.body = plain.body();
    this.allow = null;
    this.plain = plain;
  }

  /** The answer of a plain route (admin API, key download): its own content type and headers. */
  static Outcome plain(PlainResponse response) {
    return new Outcome(response);
  }

  static <O> Outcome success(Operation<?, O> operation, O response) {
    return new Outcome(200, operation, response, null, null, null, null);
  }

  static Outcome error(int status, String errorCode, String message) {
    return new Outcome(status, null, null, errorCode, message, null, null);
  }

  static Outcome error(MeteringServiceException e) {
    return error(e.statusCode(), e.errorCode(), e.serviceMessage());
  }

  static Outcome json(int status, byte[] body) {
    return new Outcome(status, null, null, null, null, body, null);
  }

  Outcome allow(String methods) {
    return new Outcome(status, operation, response, errorCode, message, body, methods);
  }

  boolean isError() {
    return errorCode != null;
  }

  @Override
  public String toString() {
    return isError() ? status + " " + errorCode + ": " + message
        : plain != null ? plain.toString() : status + " " + operation;
  }
}

package io.meterbridge.server.http;

import io.meterbridge.exception.MeteringServiceException;
import io.meterbridge.model.Operation;
import java.util.Optional;

/**
 * What the server answers one request with, before it becomes an HTTP response ({@link Responses}):
 * an operation's response, encoded straight into the response buffer; an AWS error; a ready JSON
 * body (the health check); a plain route's own response; or none, the connection dropped. Not to be confused with the store's
 * {@code MeterOutcome}, what a metering write did with one record.
 */
sealed interface Answer {
  /** The HTTP status. */
  int status();

  /** An operation's response: 200, encoded by the model's codec. */
  record Success<O>(Operation<?, O> operation, O response) implements Answer {
    @Override
    public int status() {
      return 200;
    }

    @Override
    public String toString() {
      return "200 " + operation;
    }
  }

  /**
   * An AWS error: {@code {"__type": errorCode, "message": ...}} with {@code X-Amzn-ErrorType}.
   *
   * @param allow the {@code Allow} header of a 405
   */
  record Failure(int status, String errorCode, String message, Optional<String> allow) implements Answer {
    Failure(int status, String errorCode, String message) {
      this(status, errorCode, message, Optional.empty());
    }

    Failure(MeteringServiceException e) {
      this(e.statusCode(), e.errorCode(), e.serviceMessage());
    }

    /** This failure with an {@code Allow} header. */
    Failure allow(String methods) {
      return new Failure(status, errorCode, message, Optional.of(methods));
    }

    @Override
    public String toString() {
      return status + " " + errorCode + ": " + message;
    }
  }

  /** A ready body in the protocol's content type: the health check. */
  record Json(int status, byte[] body) implements Answer {}

  /** No answer at all: the connection is closed (fault injection). */
  record Dropped() implements Answer {
    @Override
    public int status() {
      return 0;
    }
  }

  /** The answer of a plain route (admin API, key download), with its own content type and headers. */
  record Plain(PlainResponse response) implements Answer {
    @Override
    public int status() {
      return response.status();
    }
  }
}

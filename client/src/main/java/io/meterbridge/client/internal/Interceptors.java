package io.meterbridge.client.internal;

import io.meterbridge.client.ExecutionInterceptor;
import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A client's interceptors, run in order, with the hidden implementations of the context types
 * they see. The "before" hooks let exceptions through (they fail the call); the "after" hooks log
 * and swallow them, so an observer cannot change the outcome. Callers check {@link #isEmpty()}
 * first, so a client without interceptors allocates no contexts.
 */
final class Interceptors {
  private static final System.Logger LOG = System.getLogger("io.meterbridge.client");

  private final List<ExecutionInterceptor> list;

  Interceptors(List<ExecutionInterceptor> list) {
    this.list = List.copyOf(list);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  void beforeExecution(Operation<?, ?> operation, Object request, String invocationId) {
    DefaultCall call = new DefaultCall(operation, request, invocationId);
    for (ExecutionInterceptor interceptor : list) {
      interceptor.beforeExecution(call);
    }
  }

  /** Runs beforeAttempt; the interceptors may add unsigned headers to {@code headers}. */
  void beforeAttempt(Operation<?, ?> operation, Object request, int number, URI uri,
      Map<String, String> headers) {
    DefaultAttempt attempt = new DefaultAttempt(operation, request, number, uri, headers);
    for (ExecutionInterceptor interceptor : list) {
      interceptor.beforeAttempt(attempt);
    }
  }

  /** Runs afterAttempt; {@code status} is 0 when no response arrived, {@code failure} null on success. */
  void afterAttempt(Operation<?, ?> operation, int number, int status, Duration latency,
      MeteringException failure) {
    DefaultAttemptResult result = new DefaultAttemptResult(operation, number, status, latency, failure);
    for (ExecutionInterceptor interceptor : list) {
      try {
        interceptor.afterAttempt(result);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Interceptor " + interceptor + " failed in afterAttempt", e);
      }
    }
  }

  /** Runs afterExecution; exactly one of {@code response} and {@code failure} is null. */
  void afterExecution(Operation<?, ?> operation, Object request, int attempts, Duration duration,
      Object response, MeteringException failure) {
    DefaultCallResult result = new DefaultCallResult(operation, request, attempts, duration, response, failure);
    for (ExecutionInterceptor interceptor : list) {
      try {
        interceptor.afterExecution(result);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Interceptor " + interceptor + " failed in afterExecution", e);
      }
    }
  }

  private record DefaultCall(Operation<?, ?> operation, Object request, String invocationId)
      implements ExecutionInterceptor.Call {
    @Override
    public String toString() {
      return "Call[" + operation + ", " + invocationId + "]";
    }
  }

  private static final class DefaultAttempt implements ExecutionInterceptor.Attempt {
    private final Operation<?, ?> operation;
    private final Object request;
    private final int number;
    private final URI uri;
    /** The map the client sends: keys case-insensitive. */
    private final Map<String, String> headers;

    DefaultAttempt(Operation<?, ?> operation, Object request, int number, URI uri, Map<String, String> headers) {
      this.operation = operation;
      this.request = request;
      this.number = number;
      this.uri = uri;
      this.headers = headers;
    }

    @Override
    public Operation<?, ?> operation() {
      return operation;
    }

    @Override
    public Object request() {
      return request;
    }

    @Override
    public int number() {
      return number;
    }

    @Override
    public URI uri() {
      return uri;
    }

    @Override
    public Map<String, String> headers() {
      return Collections.unmodifiableMap(headers);
    }

    @Override
    public ExecutionInterceptor.Attempt header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization") || lower.equals("host") || lower.startsWith("x-amz-")
          || lower.equals("content-type") || lower.equals("content-length")) {
        throw new IllegalArgumentException(name + " is set by the client and cannot be changed");
      }
      HeaderRules.check(name, value);
      headers.put(name, value);
      return this;
    }

    @Override
    public String toString() {
      return "Attempt[" + operation + " #" + number + ", " + uri + "]";
    }
  }

  private static final class DefaultAttemptResult implements ExecutionInterceptor.AttemptResult {
    private final Operation<?, ?> operation;
    private final int attempt;
    private final int status;
    private final Duration latency;
    private final MeteringException failure;

    DefaultAttemptResult(Operation<?, ?> operation, int attempt, int status, Duration latency,
        MeteringException failure) {
      this.operation = operation;
      this.attempt = attempt;
      this.status = status;
      this.latency = latency;
      this.failure = failure;
    }

    @Override
    public Operation<?, ?> operation() {
      return operation;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public OptionalInt statusCode() {
      return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    @Override
    public Duration latency() {
      return latency;
    }

    @Override
    public Optional<MeteringException> failure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
      return "AttemptResult[" + operation + " #" + attempt + ", status=" + status + ", latency="
          + latency + (failure == null ? "" : ", failure=" + failure) + "]";
    }
  }

  private static final class DefaultCallResult implements ExecutionInterceptor.CallResult {
    private final Operation<?, ?> operation;
    private final Object request;
    private final int attempts;
    private final Duration duration;
    private final Object response;
    private final MeteringException failure;

    DefaultCallResult(Operation<?, ?> operation, Object request, int attempts, Duration duration,
        Object response, MeteringException failure) {
      this.operation = operation;
      this.request = request;
      this.attempts = attempts;
      this.duration = duration;
      this.response = response;
      this.failure = failure;
    }

    @Override
    public Operation<?, ?> operation() {
      return operation;
    }

    @Override
    public Object request() {
      return request;
    }

    @Override
    public int attempts() {
      return attempts;
    }

    @Override
    public Duration duration() {
      return duration;
    }

    @Override
    public Optional<Object> response() {
      return Optional.ofNullable(response);
    }

    @Override
    public Optional<MeteringException> failure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
      return "CallResult[" + operation + ", attempts=" + attempts + ", duration=" + duration
          + (failure == null ? ", ok" : ", failure=" + failure) + "]";
    }
  }
}

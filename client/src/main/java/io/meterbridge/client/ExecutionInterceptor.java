package io.meterbridge.client;

import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Hooks around every call of a client, for logging, metrics and tracing. All methods have empty
 * defaults; implement the ones you need. Interceptors run in the order they were added, on the
 * thread that happens to drive the call (the caller's for {@link #beforeExecution}, an HTTP client
 * thread afterwards), so they must be thread-safe and quick.
 *
 * <p>For a call with one retry the order is: {@code beforeExecution}, {@code beforeAttempt(1)},
 * {@code afterAttempt(1)}, {@code beforeAttempt(2)}, {@code afterAttempt(2)},
 * {@code afterExecution}. An exception thrown from {@code beforeExecution} or {@code beforeAttempt}
 * fails the call (wrapped in a {@link io.meterbridge.exception.MeteringClientException} unless it
 * is a {@link MeteringException}); one thrown from {@code afterAttempt} or {@code afterExecution}
 * is logged and ignored, so an observer cannot change the outcome.
 *
 * <pre>{@code
 * MeteringClient client = MeteringClient.builder()
 *     .region("us-east-1")
 *     .addInterceptor(new ExecutionInterceptor() {
 *       public void beforeAttempt(ExecutionInterceptor.Attempt attempt) {
 *         attempt.header("X-Amzn-Trace-Id", currentTraceId());
 *       }
 *       public void afterAttempt(ExecutionInterceptor.AttemptResult result) {
 *         metrics.timer(result.operation().name()).record(result.latency());
 *       }
 *     })
 *     .build();
 * }</pre>
 */
public interface ExecutionInterceptor {

  /**
   * Once per call, after the request passed validation and before the first attempt.
   *
   * <pre>{@code
   * public void beforeExecution(ExecutionInterceptor.Call call) {
   *   log.debug("calling {} with {}", call.operation(), call.request());
   * }
   * }</pre>
   */
  default void beforeExecution(Call call) {}

  /**
   * Before each HTTP attempt, after signing: the headers are final except for those added here,
   * which are sent unsigned (as tracing headers such as {@code X-Amzn-Trace-Id} usually are).
   *
   * <pre>{@code
   * public void beforeAttempt(ExecutionInterceptor.Attempt attempt) {
   *   attempt.header("X-Request-Source", "billing-worker");
   * }
   * }</pre>
   */
  default void beforeAttempt(Attempt attempt) {}

  /**
   * After each HTTP attempt, successful or not.
   *
   * <pre>{@code
   * public void afterAttempt(ExecutionInterceptor.AttemptResult result) {
   *   log.debug("attempt {} -> {} in {}", result.attempt(), result.statusCode(), result.latency());
   * }
   * }</pre>
   */
  default void afterAttempt(AttemptResult result) {}

  /**
   * Once per call, with its final outcome, before the caller sees it.
   *
   * <pre>{@code
   * public void afterExecution(ExecutionInterceptor.CallResult result) {
   *   result.failure().ifPresent(e -> log.warn("{} failed after {} attempts", result.operation(), result.attempts(), e));
   * }
   * }</pre>
   */
  default void afterExecution(CallResult result) {}

  /**
   * A call about to start.
   *
   * <pre>{@code
   * String invocation = call.invocationId();
   * }</pre>
   *
   * @param operation the operation
   * @param request the request as it will be sent (for MeterUsage, with the generated ClientToken)
   * @param invocationId a random id for this call, sent as {@code amz-sdk-invocation-id}
   */
  record Call(Operation<?, ?> operation, Object request, String invocationId) {
    /** Checks the components. */
    public Call {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(invocationId, "invocationId");
    }
  }

  /**
   * One HTTP attempt about to be sent. Not thread-safe; valid only during
   * {@link #beforeAttempt(Attempt)}.
   *
   * <pre>{@code
   * attempt.headers().get("x-amz-target"); // "AWSMPMeteringService.MeterUsage"
   * }</pre>
   */
  final class Attempt {
    private final Operation<?, ?> operation;
    private final Object request;
    private final int number;
    private final URI uri;
    private final Map<String, String> headers;

    /**
     * An attempt; the client creates these.
     *
     * <pre>{@code
     * new ExecutionInterceptor.Attempt(Operation.METER_USAGE, request, 1, uri, headers);
     * }</pre>
     *
     * @param headers the mutable header map the client sends, keys case-insensitive
     */
    public Attempt(Operation<?, ?> operation, Object request, int number, URI uri,
        Map<String, String> headers) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.request = Objects.requireNonNull(request, "request");
      this.number = number;
      this.uri = Objects.requireNonNull(uri, "uri");
      this.headers = Objects.requireNonNull(headers, "headers");
    }

    /**
     * The operation.
     *
     * <pre>{@code
     * String name = attempt.operation().name();
     * }</pre>
     */
    public Operation<?, ?> operation() {
      return operation;
    }

    /**
     * The request.
     *
     * <pre>{@code
     * if (attempt.request() instanceof MeterUsageRequest r) { ... }
     * }</pre>
     */
    public Object request() {
      return request;
    }

    /**
     * The attempt number, from 1.
     *
     * <pre>{@code
     * boolean retry = attempt.number() > 1;
     * }</pre>
     */
    public int number() {
      return number;
    }

    /**
     * The URI the request goes to.
     *
     * <pre>{@code
     * String host = attempt.uri().getHost();
     * }</pre>
     */
    public URI uri() {
      return uri;
    }

    /**
     * The headers as they will be sent (read-only view, names case-insensitive), including
     * {@code Authorization}.
     *
     * <pre>{@code
     * String date = attempt.headers().get("X-Amz-Date");
     * }</pre>
     */
    public Map<String, String> headers() {
      return Collections.unmodifiableMap(headers);
    }

    /**
     * Adds or replaces an unsigned header. The headers the signature covers cannot be changed.
     *
     * <pre>{@code
     * attempt.header("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
     * }</pre>
     *
     * @throws IllegalArgumentException if the header is one the client signs or manages
     */
    public Attempt header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.equals("authorization") || lower.equals("host") || lower.startsWith("x-amz-")
          || lower.equals("content-type") || lower.equals("content-length")) {
        throw new IllegalArgumentException(name + " is set by the client and cannot be changed");
      }
      headers.put(name, value);
      return this;
    }
  }

  /**
   * How one HTTP attempt ended.
   *
   * <pre>{@code
   * if (result.failure().isPresent()) { ... }
   * }</pre>
   */
  final class AttemptResult {
    private final Operation<?, ?> operation;
    private final int attempt;
    private final int status;
    private final Duration latency;
    private final MeteringException failure;

    private AttemptResult(Operation<?, ?> operation, int attempt, int status, Duration latency,
        MeteringException failure) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.attempt = attempt;
      this.status = status;
      this.latency = Objects.requireNonNull(latency, "latency");
      this.failure = failure;
    }

    /**
     * An attempt that got a response the client could use.
     *
     * <pre>{@code
     * ExecutionInterceptor.AttemptResult.success(Operation.METER_USAGE, 1, 200, Duration.ofMillis(12));
     * }</pre>
     */
    public static AttemptResult success(Operation<?, ?> operation, int attempt, int status,
        Duration latency) {
      return new AttemptResult(operation, attempt, status, latency, null);
    }

    /**
     * An attempt that failed; {@code status} is 0 when no response arrived.
     *
     * <pre>{@code
     * ExecutionInterceptor.AttemptResult.failure(Operation.METER_USAGE, 1, 400, latency, throttling);
     * }</pre>
     */
    public static AttemptResult failure(Operation<?, ?> operation, int attempt, int status,
        Duration latency, MeteringException failure) {
      return new AttemptResult(operation, attempt, status, latency,
          Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The operation.
     *
     * <pre>{@code
     * String name = result.operation().name();
     * }</pre>
     */
    public Operation<?, ?> operation() {
      return operation;
    }

    /**
     * The attempt number, from 1.
     *
     * <pre>{@code
     * int n = result.attempt();
     * }</pre>
     */
    public int attempt() {
      return attempt;
    }

    /**
     * The HTTP status, if a response arrived.
     *
     * <pre>{@code
     * int status = result.statusCode().orElse(-1);
     * }</pre>
     */
    public OptionalInt statusCode() {
      return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /**
     * From sending the request to the end of the response, or to the failure.
     *
     * <pre>{@code
     * histogram.record(result.latency().toMillis());
     * }</pre>
     */
    public Duration latency() {
      return latency;
    }

    /**
     * The attempt's failure, empty when it succeeded.
     *
     * <pre>{@code
     * result.failure().ifPresent(e -> log.debug("attempt failed", e));
     * }</pre>
     */
    public Optional<MeteringException> failure() {
      return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
      return "AttemptResult[" + operation + " #" + attempt + ", status=" + status + ", latency="
          + latency + (failure == null ? "" : ", failure=" + failure) + "]";
    }
  }

  /**
   * How a call ended.
   *
   * <pre>{@code
   * result.response().ifPresent(r -> log.info("{} ok", result.operation()));
   * }</pre>
   */
  final class CallResult {
    private final Operation<?, ?> operation;
    private final Object request;
    private final int attempts;
    private final Duration duration;
    private final Object response;
    private final MeteringException failure;

    private CallResult(Operation<?, ?> operation, Object request, int attempts, Duration duration,
        Object response, MeteringException failure) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.request = Objects.requireNonNull(request, "request");
      this.attempts = attempts;
      this.duration = Objects.requireNonNull(duration, "duration");
      this.response = response;
      this.failure = failure;
    }

    /**
     * A call that succeeded.
     *
     * <pre>{@code
     * ExecutionInterceptor.CallResult.success(Operation.METER_USAGE, request, 1, duration, response);
     * }</pre>
     */
    public static CallResult success(Operation<?, ?> operation, Object request, int attempts,
        Duration duration, Object response) {
      return new CallResult(operation, request, attempts, duration,
          Objects.requireNonNull(response, "response"), null);
    }

    /**
     * A call that failed.
     *
     * <pre>{@code
     * ExecutionInterceptor.CallResult.failure(Operation.METER_USAGE, request, 3, duration, error);
     * }</pre>
     */
    public static CallResult failure(Operation<?, ?> operation, Object request, int attempts,
        Duration duration, MeteringException failure) {
      return new CallResult(operation, request, attempts, duration, null,
          Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The operation.
     *
     * <pre>{@code
     * String name = result.operation().name();
     * }</pre>
     */
    public Operation<?, ?> operation() {
      return operation;
    }

    /**
     * The request as sent (for MeterUsage, with the ClientToken the client generated).
     *
     * <pre>{@code
     * Object request = result.request();
     * }</pre>
     */
    public Object request() {
      return request;
    }

    /**
     * How many attempts the call made; 0 when it failed before the first.
     *
     * <pre>{@code
     * int attempts = result.attempts();
     * }</pre>
     */
    public int attempts() {
      return attempts;
    }

    /**
     * From the call's start to its end, waits between attempts included.
     *
     * <pre>{@code
     * Duration took = result.duration();
     * }</pre>
     */
    public Duration duration() {
      return duration;
    }

    /**
     * The response, empty when the call failed.
     *
     * <pre>{@code
     * Optional<Object> response = result.response();
     * }</pre>
     */
    public Optional<Object> response() {
      return Optional.ofNullable(response);
    }

    /**
     * The failure, empty when the call succeeded.
     *
     * <pre>{@code
     * boolean failed = result.failure().isPresent();
     * }</pre>
     */
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

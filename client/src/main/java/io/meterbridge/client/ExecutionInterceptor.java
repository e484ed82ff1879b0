package io.meterbridge.client;

import io.meterbridge.exception.MeteringException;
import io.meterbridge.model.Operation;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Hooks around every call of a client, for logging, metrics and tracing. Implement the ones you
 * need; they run in the order they were added, on whichever thread drives the call, so they must be
 * thread-safe and quick. For a call with one retry the order is {@code beforeExecution},
 * {@code beforeAttempt}, {@code afterAttempt}, {@code beforeAttempt}, {@code afterAttempt},
 * {@code afterExecution}.
 *
 * <p>An exception from {@code beforeExecution} or {@code beforeAttempt} fails the call (wrapped in a
 * {@link io.meterbridge.exception.MeteringClientException} unless it is a
 * {@link MeteringException}); one from {@code afterAttempt} or {@code afterExecution} is logged and
 * ignored, so an observer cannot change the outcome. The client creates the context objects; they
 * are valid only during the hook.
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

  /** Once per call, after the request passed validation and before the first attempt. */
  default void beforeExecution(Call call) {}

  /**
   * Before each HTTP attempt, after signing: the headers are final except for those added here,
   * which are sent unsigned (as tracing headers usually are).
   */
  default void beforeAttempt(Attempt attempt) {}

  /** After each HTTP attempt, successful or not. */
  default void afterAttempt(AttemptResult result) {}

  /** Once per call, with its final outcome, before the caller sees it. */
  default void afterExecution(CallResult result) {}

  /** A call about to start. */
  interface Call {
    /** The operation. */
    Operation<?, ?> operation();

    /** The request as it will be sent (for MeterUsage, with the ClientToken the client added). */
    Object request();

    /** A random id for this call, sent as {@code amz-sdk-invocation-id} with every attempt. */
    String invocationId();
  }

  /** One HTTP attempt about to be sent. Not thread-safe. */
  interface Attempt {
    /** The operation. */
    Operation<?, ?> operation();

    /** The request. */
    Object request();

    /** The attempt number, from 1. */
    int number();

    /** Where the request goes. */
    URI uri();

    /**
     * The headers as they will be sent, {@code Authorization} included: a read-only view, names
     * case-insensitive.
     */
    Map<String, String> headers();

    /**
     * Adds or replaces an unsigned header.
     *
     * <pre>{@code
     * attempt.header("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793");
     * }</pre>
     *
     * @throws IllegalArgumentException if the header is one the client signs or manages
     *     ({@code Authorization}, {@code Host}, {@code Content-Type}, {@code Content-Length},
     *     {@code X-Amz-*})
     */
    Attempt header(String name, String value);
  }

  /** How one HTTP attempt ended. */
  interface AttemptResult {
    /** The operation. */
    Operation<?, ?> operation();

    /** The attempt number, from 1. */
    int attempt();

    /** The HTTP status, empty when no response arrived. */
    OptionalInt statusCode();

    /** From sending the request to the end of the response, or to the failure. */
    Duration latency();

    /** The attempt's failure, empty when it succeeded. */
    Optional<MeteringException> failure();
  }

  /** How a call ended. */
  interface CallResult {
    /** The operation. */
    Operation<?, ?> operation();

    /** The request as sent (for MeterUsage, with the ClientToken the client added). */
    Object request();

    /** How many attempts the call made; 0 when it failed before the first. */
    int attempts();

    /** From the call's start to its end, waits between attempts included. */
    Duration duration();

    /** The response, empty when the call failed. */
    Optional<Object> response();

    /** The failure, empty when the call succeeded. */
    Optional<MeteringException> failure();
  }
}
